import { sleep } from './sleep.js';
import type { FakeResponse } from './types.js';

/** The body of a {@link FakeResponse}, as a length and a stream of pieces. */
export interface BodyPlan {
  /** The full length in bytes (announced in `content-length`). */
  length: number;
  /** The content type the fake sets, unless the response's headers set one. */
  contentType: string | undefined;
  /** The body, piece by piece; pieces of a slow body come with pauses. */
  pieces(signal: AbortSignal): AsyncIterable<Uint8Array>;
}

const JSON_TYPE = 'application/json';
const PIECE_SIZE = 64 * 1024;
// One shared piece: a `bytes` body is this buffer written again and again, never built in memory.
const FILLER = Buffer.alloc(PIECE_SIZE, 'x');
const TRUNCATED_JSON = '{"message": "this JSON is cut sh';

/** Picks the body source of a response: `malformedJson`, `json`, `body`, `chunks`, `bytes`, or none. */
export function planBody(spec: FakeResponse): BodyPlan {
  if (spec.malformedJson) return fixed(Buffer.from(malformed(spec.json)), JSON_TYPE);
  if (spec.json !== undefined) return fixed(Buffer.from(JSON.stringify(spec.json)), JSON_TYPE);
  if (spec.body !== undefined) return fixed(Buffer.from(spec.body), undefined);
  if (spec.chunks) return slowChunks(spec.chunks);
  if (spec.bytes !== undefined) return filler(spec.bytes);
  return fixed(Buffer.alloc(0), undefined);
}

function fixed(body: Buffer, contentType: string | undefined): BodyPlan {
  return {
    length: body.length,
    contentType,
    async *pieces() {
      if (body.length > 0) yield body;
    },
  };
}

function slowChunks({ count, intervalMs, chunk = 'x' }: NonNullable<FakeResponse['chunks']>): BodyPlan {
  assertCount('chunks.count', count);
  const piece = Buffer.from(chunk);
  return {
    length: count * piece.length,
    contentType: undefined,
    async *pieces(signal) {
      for (let i = 0; i < count; i++) {
        if (i > 0) await sleep(intervalMs, signal);
        yield piece;
      }
    },
  };
}

function filler(bytes: number): BodyPlan {
  assertCount('bytes', bytes);
  return {
    length: bytes,
    contentType: 'application/octet-stream',
    async *pieces() {
      for (let left = bytes; left > 0; left -= PIECE_SIZE) {
        yield left >= PIECE_SIZE ? FILLER : FILLER.subarray(0, left);
      }
    },
  };
}

function malformed(json: unknown): string {
  if (json === undefined) return TRUNCATED_JSON;
  const text = JSON.stringify(json);
  const half = text.slice(0, Math.floor(text.length / 2));
  // Half of a number ('12' of 1234) can still be valid JSON; then fall back to a surely broken object.
  return isJson(half) ? TRUNCATED_JSON : half;
}

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

function assertCount(name: string, value: number): void {
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new RangeError(`${name} must be a non-negative integer, got ${value}`);
  }
}
