import { SecretError } from './secret-errors.js';

/** The first segment of every envelope; a new layout gets a new version. */
export const ENVELOPE_VERSION = 'pb1';

export const IV_BYTES = 12;
export const TAG_BYTES = 16;
export const DATA_KEY_BYTES = 32;

/**
 * One encrypted value: a fresh data key wrapped under the master key (AES-256-GCM), and the
 * value encrypted under the data key (AES-256-GCM).
 */
export interface EnvelopeParts {
  keyId: string;
  wrapIv: Buffer;
  wrappedKey: Buffer;
  wrapTag: Buffer;
  iv: Buffer;
  ciphertext: Buffer;
  tag: Buffer;
}

/**
 * `pb1.<keyId>.<wrapIv>.<wrappedKey>.<wrapTag>.<iv>.<ciphertext>.<tag>`, binary parts in
 * base64url: one opaque line, safe in JSON, SQL text columns and env files.
 */
export function formatEnvelope(parts: EnvelopeParts): string {
  const b = (buffer: Buffer) => buffer.toString('base64url');
  return [
    ENVELOPE_VERSION,
    parts.keyId,
    b(parts.wrapIv),
    b(parts.wrappedKey),
    b(parts.wrapTag),
    b(parts.iv),
    b(parts.ciphertext),
    b(parts.tag),
  ].join('.');
}

const SEGMENT = /^[A-Za-z0-9_-]*$/;

/** Splits an envelope, checking its shape (not its authenticity: that is the cipher's job). */
export function parseEnvelope(envelope: string): EnvelopeParts {
  if (typeof envelope !== 'string') throw malformed('it is not a string');
  const segments = envelope.split('.');
  if (segments[0] !== ENVELOPE_VERSION) {
    throw malformed(
      segments.length > 1 && /^pb\d+$/.test(segments[0] ?? '')
        ? `version ${segments[0]} is not supported (this build reads ${ENVELOPE_VERSION})`
        : 'it does not start with the envelope version',
    );
  }
  if (segments.length !== 8) throw malformed(`it has ${segments.length} parts, not 8`);
  const [, keyId, wrapIv, wrappedKey, wrapTag, iv, ciphertext, tag] = segments as [
    string,
    string,
    string,
    string,
    string,
    string,
    string,
    string,
  ];
  if (!/^[0-9a-f]{16}$/.test(keyId)) throw malformed('its key id is not 16 hex digits');
  if (![wrapIv, wrappedKey, wrapTag, iv, ciphertext, tag].every((s) => SEGMENT.test(s))) {
    throw malformed('a part is not base64url');
  }
  const parts: EnvelopeParts = {
    keyId,
    wrapIv: Buffer.from(wrapIv, 'base64url'),
    wrappedKey: Buffer.from(wrappedKey, 'base64url'),
    wrapTag: Buffer.from(wrapTag, 'base64url'),
    iv: Buffer.from(iv, 'base64url'),
    ciphertext: Buffer.from(ciphertext, 'base64url'),
    tag: Buffer.from(tag, 'base64url'),
  };
  if (parts.wrapIv.length !== IV_BYTES || parts.iv.length !== IV_BYTES)
    throw malformed('an IV is not 12 bytes');
  if (parts.wrapTag.length !== TAG_BYTES || parts.tag.length !== TAG_BYTES) {
    throw malformed('an authentication tag is not 16 bytes');
  }
  if (parts.wrappedKey.length !== DATA_KEY_BYTES) throw malformed('the wrapped data key is not 32 bytes');
  return parts;
}

/** True when the value looks like an envelope (e.g. to refuse storing plaintext by mistake). */
export function isEnvelope(value: unknown): value is string {
  if (typeof value !== 'string' || !value.startsWith(`${ENVELOPE_VERSION}.`)) return false;
  try {
    parseEnvelope(value);
    return true;
  } catch {
    return false;
  }
}

/** The id of the master key that wrapped this envelope's data key. */
export function envelopeKeyId(envelope: string): string {
  return parseEnvelope(envelope).keyId;
}

function malformed(why: string): SecretError {
  return new SecretError('MALFORMED_ENVELOPE', `not a valid secret envelope: ${why}`);
}
