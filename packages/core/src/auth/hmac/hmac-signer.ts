import { encodeBody } from '../../http/body.js';
import type { PreparedRequest } from '../../http/types.js';
import { type Clock, systemClock } from '../../policies/clock.js';
import type { Handler } from '../../policies/pipeline.js';
import { type HmacScheme, hmacDigest, resolveScheme } from './hmac-scheme.js';

export interface HmacSignerOptions extends HmacScheme {
  /**
   * The header the signature goes in; treated as a credential (redacted in logs, dropped on a
   * cross-origin redirect).
   * @default 'X-HMAC-Signature'
   */
  header?: string;
  /**
   * The header the timestamp goes in (Unix seconds), when `parts` include `'timestamp'`.
   * @default 'X-Timestamp'
   */
  timestampHeader?: string;
  /** For tests. @default systemClock */
  clock?: Pick<Clock, 'wallNow'>;
}

/**
 * A pipeline stage that signs each attempt (a retry gets a fresh timestamp and signature).
 * Carries what the client needs to register the secret and the header with its redactor.
 */
export interface HmacSigner {
  (next: Handler): Handler;
  /** The signing secret, for the redactor. */
  secrets(): readonly string[];
  /** Lower-case names of the signature header (and nothing else: a timestamp is no secret). */
  readonly credentialHeaders: readonly string[];
}

/**
 * HMAC request signing (seed 004's `X-HMAC-Signature`), as the `sign` stage of the pipeline,
 * after auth. It signs the exact bytes the transport sends: a JSON or form body is encoded
 * here, once, into `req.body` (with its content type), so the transport sends it as is.
 * @example
 * const sign = hmacSigner({ secret: cfg.hmacSecret, prefix: 'sha256=' });
 * // pipeline: composePipeline({ retry, auth, sign, timeout, classify }, transport)
 */
export function hmacSigner(options: HmacSignerOptions): HmacSigner {
  const scheme = resolveScheme(options);
  const header = (options.header ?? 'X-HMAC-Signature').toLowerCase();
  const timestampHeader = (options.timestampHeader ?? 'X-Timestamp').toLowerCase();
  const clock = options.clock ?? systemClock;
  const timed = scheme.parts.includes('timestamp');

  const sign = (req: PreparedRequest): void => {
    freezeBody(req);
    let timestamp: string | undefined;
    if (timed) {
      timestamp = String(Math.floor(clock.wallNow() / 1000));
      req.headers[timestampHeader] = timestamp;
    }
    const digest = hmacDigest(scheme, { method: req.method, path: req.path, timestamp, body: req.body });
    req.headers[header] = scheme.prefix + digest.toString(scheme.encoding);
  };

  const policy =
    (next: Handler): Handler =>
    (req, call, signal) => {
      sign(req);
      return next(req, call, signal);
    };
  return Object.assign(policy, {
    secrets: () => [scheme.secret],
    credentialHeaders: [header],
  });
}

/**
 * Encodes a JSON or form body into `req.body` with `encodeBody`, the transport's own encoder,
 * so the bytes signed are the bytes sent. `req` is this attempt's copy, so the caller's request
 * keeps its JSON for the next attempt.
 */
function freezeBody(req: PreparedRequest): void {
  if (req.json === undefined && req.form === undefined) return;
  const { body, contentType } = encodeBody(req);
  req.json = undefined;
  req.form = undefined;
  req.body = body;
  if (contentType !== undefined && req.headers['content-type'] === undefined) {
    req.headers['content-type'] = contentType;
  }
}
