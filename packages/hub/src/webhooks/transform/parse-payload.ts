/**
 * A delivery's body as data: JSON for JSON content types (or a body that parses as JSON), form
 * fields for `application/x-www-form-urlencoded` (Slack's interactive `payload=` field decoded as
 * JSON), else `{ text }`. Never throws: a body that claims JSON and is not stays text.
 */
export function parsePayload(contentType: string | null, body: string): unknown {
  const type = (contentType ?? '').split(';', 1)[0]?.trim().toLowerCase() ?? '';
  if (type === 'application/x-www-form-urlencoded') {
    const fields: Record<string, unknown> = Object.fromEntries(new URLSearchParams(body));
    if (typeof fields.payload === 'string') {
      const payload = parseJson(fields.payload);
      if (payload !== undefined) fields.payload = payload;
    }
    return fields;
  }
  if (type === '' || type === 'application/json' || type.endsWith('+json') || type === 'text/plain') {
    const parsed = parseJson(body);
    if (parsed !== undefined) return parsed;
  }
  return { text: body };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
