import type { RawResponse } from '../http/types.js';

const RESPONSE = Symbol('patchbay.response');

/**
 * Keeps the upstream response an error came from, hidden: not enumerable, not in `toJSON()`,
 * never logged. `client.fetch` uses it to hand a vendor SDK the real 4xx/5xx response.
 */
export function attachResponse(error: object, response: RawResponse): void {
  Object.defineProperty(error, RESPONSE, { value: response, enumerable: false, configurable: true });
}

export function attachedResponse(error: unknown): RawResponse | undefined {
  return typeof error === 'object' && error !== null
    ? (error as { [RESPONSE]?: RawResponse })[RESPONSE]
    : undefined;
}
