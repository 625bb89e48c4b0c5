import type { RecordedRequest } from '../../types.js';

/** A method's arguments as Slack reads them: query string, then form or JSON body. */
export type SlackArgs = Record<string, unknown>;

/**
 * Thrown by a method to answer `{"ok": false, "error": code, ...extra}` with HTTP 200, which is how
 * Slack reports almost every failure.
 */
export class SlackMethodError extends Error {
  constructor(
    readonly code: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(code);
    this.name = 'SlackMethodError';
  }
}

export function fail(code: string, extra?: Record<string, unknown>): never {
  throw new SlackMethodError(code, extra);
}

/** What parsing the request body found, besides the arguments. */
export interface ParsedArgs {
  args: SlackArgs;
  /** `response_metadata.warnings` Slack adds, e.g. `missing_charset`. */
  warnings: string[];
  /** The token sent in the body (form posts may carry it there instead of a header). */
  bodyToken: string | undefined;
}

const CHARSET_WARNING =
  '[WARN] A Content-Type HTTP header was presented but did not contain a charset, so we assumed it was UTF-8. Please specify a charset.';

/**
 * Reads arguments the way Slack does: the query string always; a form body always; a JSON body
 * only for methods that accept JSON (for the others Slack ignores it, so their arguments go
 * missing). JSON without `charset=utf-8` still works but earns a `missing_charset` warning.
 */
export function readArgs(request: RecordedRequest, acceptsJson: boolean): ParsedArgs {
  const args: SlackArgs = { ...request.query };
  const warnings: string[] = [];
  const type = String(request.headers['content-type'] ?? '').toLowerCase();
  let bodyToken: string | undefined;
  if (request.body.length > 0 && type.startsWith('application/x-www-form-urlencoded')) {
    for (const [name, value] of new URLSearchParams(request.text)) args[name] = value;
    if (typeof args.token === 'string') bodyToken = args.token;
  } else if (request.body.length > 0 && type.startsWith('application/json') && acceptsJson) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(request.text);
    } catch {
      fail('invalid_json');
    }
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) fail('json_not_object');
    Object.assign(args, parsed);
    if (!/charset\s*=\s*utf-8/.test(type)) warnings.push('missing_charset');
  }
  delete args.token;
  return { args, warnings, bodyToken };
}

/** The human text Slack sends next to a warning code. */
export function warningMessage(code: string): string {
  return code === 'missing_charset' ? CHARSET_WARNING : `[WARN] ${code}`;
}

/** A string argument, or undefined when absent or empty. */
export function str(args: SlackArgs, name: string): string | undefined {
  const value = args[name];
  if (value === undefined || value === null || value === '') return undefined;
  return String(value);
}

export function required(args: SlackArgs, name: string, error: string): string {
  return str(args, name) ?? fail(error);
}

/** Slack's booleans arrive as `true`, `'true'`, `'1'` or `1`. */
export function bool(args: SlackArgs, name: string, fallback = false): boolean {
  const value = args[name];
  if (value === undefined || value === null || value === '') return fallback;
  return value === true || value === 1 || value === 'true' || value === '1';
}

export function int(args: SlackArgs, name: string, fallback: number): number {
  const value = str(args, name);
  if (value === undefined) return fallback;
  const n = Number(value);
  return Number.isInteger(n) ? n : fail('invalid_arguments');
}

/** A JSON-valued argument: an array in a JSON body, a JSON string in a form or query. */
export function jsonArg(args: SlackArgs, name: string, invalid: string): unknown {
  const value = args[name];
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value !== 'string') return value;
  try {
    return JSON.parse(value);
  } catch {
    return fail(invalid);
  }
}

/** One page of a list and the cursor to the next (`''` at the end, as Slack sends). */
export interface Page<T> {
  items: T[];
  nextCursor: string;
}

/**
 * Cursor paging as Slack does it: the cursor is an opaque base64 string (here of the offset), the
 * page holds at most `limit` entries, and at the end `next_cursor` is the empty string.
 * `pageSize` caps a page below `limit`, as Slack may return fewer entries than asked for.
 */
export function paginate<T>(
  all: readonly T[],
  args: SlackArgs,
  defaultLimit: number,
  pageSize: number,
): Page<T> {
  const limit = int(args, 'limit', defaultLimit);
  if (limit < 1 || limit > 1000) fail('invalid_limit');
  const cursor = str(args, 'cursor');
  const offset = cursor === undefined ? 0 : decodeCursor(cursor);
  const end = Math.min(offset + Math.min(limit, pageSize), all.length);
  return { items: all.slice(offset, end), nextCursor: end < all.length ? encodeCursor(end) : '' };
}

function encodeCursor(offset: number): string {
  return Buffer.from(`offset:${offset}`).toString('base64');
}

function decodeCursor(cursor: string): number {
  const match = /^offset:(\d+)$/.exec(Buffer.from(cursor, 'base64').toString('utf8'));
  return match ? Number(match[1]) : fail('invalid_cursor');
}
