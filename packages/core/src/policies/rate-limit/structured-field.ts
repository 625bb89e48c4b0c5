/** A bare item of an RFC 9651 structured field: number, string, token or boolean. */
export type BareItem = number | string | boolean;

/**
 * One member of a structured-field List or Dictionary: `key=item;param=value` or
 * `item;param=value`. Tokens and strings both come back as strings.
 */
export interface FieldMember {
  /** The dictionary key, when the member had one (`limit=10`). */
  key: string | undefined;
  item: BareItem;
  params: Record<string, BareItem>;
}

const KEY = /^[a-z*][a-z0-9_.*-]*/;
const TOKEN = /^[A-Za-z*][A-Za-z0-9:/!#$%&'*+.^_`|~-]*/;
const NUMBER = /^-?\d{1,15}(?:\.\d{1,3})?/;

/**
 * Parses a structured-field List or Dictionary (both appear in the IETF RateLimit drafts) into
 * its members, tolerating only what RFC 9651 allows. Any syntax error rejects the whole field
 * (`undefined`), as the RFC asks: a half-read rate-limit header is worse than none. Inner lists
 * and byte sequences are not used by rate-limit headers and count as errors here.
 * @example
 * parseFieldMembers('"default";r=0;t=30') // [{ key: undefined, item: 'default', params: { r: 0, t: 30 } }]
 * parseFieldMembers('limit=10, remaining=0') // [{ key: 'limit', item: 10, params: {} }, …]
 */
export function parseFieldMembers(text: string): FieldMember[] | undefined {
  const members: FieldMember[] = [];
  let rest = text.trim();
  if (rest === '') return undefined;
  while (rest !== '') {
    let key: string | undefined;
    let item: BareItem;
    const keyMatch = KEY.exec(rest);
    if (keyMatch && rest[keyMatch[0].length] === '=') {
      key = keyMatch[0];
      const parsed = bareItem(rest.slice(key.length + 1));
      if (!parsed) return undefined;
      [item, rest] = parsed;
    } else {
      const parsed = bareItem(rest);
      if (!parsed) return undefined;
      [item, rest] = parsed;
    }
    const params = parameters(rest);
    if (!params) return undefined;
    rest = params[1];
    members.push({ key, item, params: params[0] });
    rest = rest.replace(/^[ \t]*/, '');
    if (rest === '') break;
    if (rest[0] !== ',') return undefined;
    rest = rest.slice(1).replace(/^[ \t]*/, '');
    if (rest === '') return undefined; // a trailing comma is an error
  }
  return members;
}

function parameters(input: string): [Record<string, BareItem>, string] | undefined {
  const params: Record<string, BareItem> = {};
  let rest = input;
  while (rest[0] === ';') {
    rest = rest.slice(1).replace(/^ */, '');
    const keyMatch = KEY.exec(rest);
    if (!keyMatch) return undefined;
    const name = keyMatch[0];
    rest = rest.slice(name.length);
    let value: BareItem = true;
    if (rest[0] === '=') {
      const parsed = bareItem(rest.slice(1));
      if (!parsed) return undefined;
      [value, rest] = parsed;
    }
    params[name] = value;
  }
  return [params, rest];
}

function bareItem(input: string): [BareItem, string] | undefined {
  const first = input[0];
  if (first === '"') return sfString(input);
  if (first === '?') {
    if (input[1] === '1') return [true, input.slice(2)];
    if (input[1] === '0') return [false, input.slice(2)];
    return undefined;
  }
  if (first === '-' || (first !== undefined && first >= '0' && first <= '9')) {
    const m = NUMBER.exec(input);
    if (!m) return undefined;
    const next = input[m[0].length];
    if (next !== undefined && /[\d.]/.test(next)) return undefined; // too many digits
    return [Number(m[0]), input.slice(m[0].length)];
  }
  const m = TOKEN.exec(input);
  return m ? [m[0], input.slice(m[0].length)] : undefined;
}

function sfString(input: string): [string, string] | undefined {
  let out = '';
  for (let i = 1; i < input.length; i++) {
    const c = input[i] as string;
    if (c === '\\') {
      const escaped = input[i + 1];
      if (escaped !== '"' && escaped !== '\\') return undefined;
      out += escaped;
      i++;
    } else if (c === '"') {
      return [out, input.slice(i + 1)];
    } else {
      const code = c.charCodeAt(0);
      if (code < 0x20 || code > 0x7e) return undefined;
      out += c;
    }
  }
  return undefined; // unterminated
}
