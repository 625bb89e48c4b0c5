import type { ServerResponse } from 'node:http';
import { type BodyPlan, planBody } from './response-body.js';
import { sleep } from './sleep.js';
import type { FakeResponse } from './types.js';

const DROP_BODY = 'x'.repeat(1024);

/**
 * Sends one scripted response, with its delays and faults. Rejects with the signal's reason when the
 * signal aborts (the upstream closed, or the client went away) in the middle of it.
 */
export async function sendFakeResponse(
  res: ServerResponse,
  spec: FakeResponse,
  signal: AbortSignal,
): Promise<void> {
  await sleep(spec.delayMs, signal);
  if (spec.drop === 'before-headers') {
    res.socket?.resetAndDestroy();
    return;
  }

  let body = planBody(spec);
  // A reset "mid-body" needs a body to cut in two.
  if (spec.drop === 'mid-body' && body.length < 2) body = planBody({ body: DROP_BODY });
  res.statusCode = spec.status ?? 200;
  setHeaders(res, spec, body);

  if (spec.bodyDelayMs !== undefined && spec.bodyDelayMs > 0) {
    res.flushHeaders();
    await sleep(spec.bodyDelayMs, signal);
  }

  const limit = spec.drop === 'mid-body' ? Math.floor(body.length / 2) : body.length;
  let sent = 0;
  for await (const piece of body.pieces(signal)) {
    const part = piece.length > limit - sent ? piece.subarray(0, limit - sent) : piece;
    if (part.length > 0) await write(res, part, signal);
    sent += part.length;
    if (sent >= limit) break;
  }

  if (spec.drop === 'mid-body') {
    // `write` resolved once the bytes reached the kernel, so on loopback the client gets the
    // headers and the first half before the reset.
    res.socket?.resetAndDestroy();
    return;
  }
  res.end();
}

function setHeaders(res: ServerResponse, spec: FakeResponse, body: BodyPlan): void {
  if (body.contentType) res.setHeader('content-type', body.contentType);
  if (body.length > 0) {
    if (spec.omitContentLength) res.setHeader('transfer-encoding', 'chunked');
    else res.setHeader('content-length', body.length);
  }
  for (const [name, value] of Object.entries(spec.headers ?? {})) res.setHeader(name, value);
}

/** Writes one piece and waits until it reached the socket: backpressure without buffering. */
function write(res: ServerResponse, piece: Uint8Array, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    if (signal.aborted) return onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    res.write(piece, (error) => {
      signal.removeEventListener('abort', onAbort);
      if (error) reject(error);
      else resolve();
    });
  });
}
