import type { Dispatcher } from 'undici';
import { TransportFailure } from './transport-failure.js';

/**
 * Reads a response body, refusing (not buffering) one larger than `limit` bytes: a declared
 * length over the limit is refused before a byte is read, an undeclared one when the running
 * total passes it.
 */
export async function readBodyCapped(
  body: Dispatcher.ResponseData['body'],
  declaredLength: string | string[] | undefined,
  limit: number,
  status: number,
): Promise<Buffer> {
  const declared = typeof declaredLength === 'string' ? Number(declaredLength) : Number.NaN;
  if (declared > limit) {
    body.destroy();
    throw new TransportFailure(
      'RESPONSE_TOO_LARGE',
      `response of ${declared} bytes exceeds the limit of ${limit} bytes`,
      status,
    );
  }
  // undici rejects a body longer than its Content-Length, so a declared length within the limit is safe to read whole.
  if (declared >= 0) return Buffer.from(await body.arrayBuffer());
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of body) {
    total += (chunk as Buffer).length;
    if (total > limit) {
      body.destroy();
      throw new TransportFailure(
        'RESPONSE_TOO_LARGE',
        `response exceeds the limit of ${limit} bytes (undeclared length)`,
        status,
      );
    }
    chunks.push(chunk as Buffer);
  }
  return chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks, total);
}

/** Reads at most `limit` bytes of an error body and drops the rest: error pages can be huge. */
export async function readBodyPrefix(body: Dispatcher.ResponseData['body'], limit: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of body) {
    chunks.push(chunk as Buffer);
    total += (chunk as Buffer).length;
    if (total >= limit) {
      body.destroy();
      break;
    }
  }
  const all = Buffer.concat(chunks, total);
  return all.length > limit ? all.subarray(0, limit) : all;
}
