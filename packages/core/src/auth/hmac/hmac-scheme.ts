import { createHmac } from 'node:crypto';

export type HmacAlgorithm = 'sha256' | 'sha512' | 'sha1';
export type HmacEncoding = 'hex' | 'base64';
/** A piece of the request that goes into the signed string, in the order given. */
export type HmacPart = 'method' | 'path' | 'timestamp' | 'body';

/** How a signature is computed; the signer and the verifier must agree on every field. */
export interface HmacScheme {
  secret: string;
  /** @default 'sha256' */
  algorithm?: HmacAlgorithm;
  /** @default 'hex' */
  encoding?: HmacEncoding;
  /**
   * Written before the encoded digest in the header.
   * @default ''
   * @example 'sha256='
   */
  prefix?: string;
  /**
   * What is signed, joined by `separator`: the upper-case method, the path with its query string
   * as sent, the timestamp (Unix seconds, also sent in `timestampHeader`), the body bytes as sent.
   * @default ['timestamp', 'method', 'path', 'body']
   * @example ['body'] // seed 004's signature over the JSON payload alone
   */
  parts?: readonly HmacPart[];
  /** @default '\n' */
  separator?: string;
}

/** The request pieces a signature covers. */
export interface HmacInput {
  method: string;
  path: string;
  /** Unix seconds, as sent in the timestamp header. */
  timestamp?: string | undefined;
  /** The body bytes as sent (a string is taken as UTF-8). */
  body?: string | Uint8Array | undefined;
}

export type ResolvedScheme = Required<HmacScheme>;

const ALGORITHMS = new Set<HmacAlgorithm>(['sha256', 'sha512', 'sha1']);
const DEFAULT_PARTS: readonly HmacPart[] = ['timestamp', 'method', 'path', 'body'];
const PARTS = new Set<HmacPart>(DEFAULT_PARTS);

export function resolveScheme(scheme: HmacScheme): ResolvedScheme {
  if (typeof scheme.secret !== 'string' || scheme.secret.length === 0) {
    throw new TypeError('HMAC secret is empty: check the environment variable or secret that should hold it');
  }
  const algorithm = scheme.algorithm ?? 'sha256';
  if (!ALGORITHMS.has(algorithm))
    throw new TypeError(`HMAC algorithm must be sha256, sha512 or sha1, got ${algorithm}`);
  const encoding = scheme.encoding ?? 'hex';
  if (encoding !== 'hex' && encoding !== 'base64')
    throw new TypeError(`HMAC encoding must be hex or base64, got ${encoding}`);
  const parts = scheme.parts ?? DEFAULT_PARTS;
  if (parts.length === 0 || parts.some((p) => !PARTS.has(p))) {
    throw new TypeError(`HMAC parts must be a non-empty list of ${[...PARTS].join(', ')}`);
  }
  return {
    secret: scheme.secret,
    algorithm,
    encoding,
    prefix: scheme.prefix ?? '',
    parts,
    separator: scheme.separator ?? '\n',
  };
}

/** The raw HMAC of the signed string: the parts' bytes joined by the separator. */
export function hmacDigest(scheme: ResolvedScheme, input: HmacInput): Buffer {
  const mac = createHmac(scheme.algorithm, scheme.secret);
  scheme.parts.forEach((part, index) => {
    if (index > 0) mac.update(scheme.separator, 'utf8');
    if (part === 'body') {
      if (input.body !== undefined)
        mac.update(typeof input.body === 'string' ? Buffer.from(input.body, 'utf8') : input.body);
    } else if (part === 'method') mac.update(input.method.toUpperCase(), 'utf8');
    else if (part === 'path') mac.update(input.path, 'utf8');
    else mac.update(input.timestamp ?? '', 'utf8');
  });
  return mac.digest();
}

/**
 * The header value for a request: `prefix` + encoded digest.
 * @example computeHmacSignature({ secret, prefix: 'sha256=' }, { method: 'POST', path: '/drafts', timestamp: '1700000000', body })
 */
export function computeHmacSignature(scheme: HmacScheme, input: HmacInput): string {
  const resolved = resolveScheme(scheme);
  return resolved.prefix + hmacDigest(resolved, input).toString(resolved.encoding);
}
