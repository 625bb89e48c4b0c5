import type { IncomingMessage } from 'node:http';
import type { RecordedRequest } from './types.js';

/** The parts of a request known from its head, before the body has arrived. */
export interface RequestHead {
  method: string;
  path: string;
  url: string;
  query: Record<string, string | string[]>;
  headers: Record<string, string | string[] | undefined>;
  receivedAt: number;
}

/** Reads the method, path and query of a request as soon as its head arrives. */
export function readRequestHead(req: IncomingMessage): RequestHead {
  const url = req.url ?? '/';
  const queryStart = url.indexOf('?');
  const path = queryStart === -1 ? url : url.slice(0, queryStart);
  const search = queryStart === -1 ? '' : url.slice(queryStart + 1);
  return {
    method: (req.method ?? 'GET').toUpperCase(),
    path,
    url,
    query: parseQuery(search),
    headers: { ...req.headers },
    receivedAt: Date.now(),
  };
}

/** Collects the whole body of a request. */
export async function readBody(req: IncomingMessage): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const part of req) parts.push(part as Buffer);
  return Buffer.concat(parts);
}

/** Builds the record kept in `up.requests`. */
export function recordRequest(
  head: RequestHead,
  body: Buffer,
  params: Record<string, string>,
): RecordedRequest {
  const text = body.toString('utf8');
  return { ...head, body, text, json: () => JSON.parse(text) as unknown, params };
}

function parseQuery(search: string): Record<string, string | string[]> {
  const query: Record<string, string | string[]> = {};
  for (const [name, value] of new URLSearchParams(search)) {
    const seen = query[name];
    if (seen === undefined) query[name] = value;
    else if (Array.isArray(seen)) seen.push(value);
    else query[name] = [seen, value];
  }
  return query;
}
