/** Headers never stored with a delivery: credentials, and signatures (verified already, of no later use). */
const DROPPED = new Set([
  'authorization',
  'proxy-authorization',
  'cookie',
  'x-api-key',
  'x-hub-signature',
  'x-hub-signature-256',
  'x-slack-signature',
  'webhook-signature',
  'stripe-signature',
  'x-hmac-signature',
  'content-length',
  'connection',
]);

/** The headers kept with a stored delivery (the transformation reads some, the logs show them). */
export function keptHeaders(
  headers: Readonly<Record<string, string | string[] | undefined>>,
  alsoDrop?: string,
): Record<string, string> {
  const out: Record<string, string> = {};
  const extra = alsoDrop?.toLowerCase();
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined || DROPPED.has(name) || name === extra) continue;
    out[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return out;
}
