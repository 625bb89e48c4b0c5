import type { ErrorCode } from '../errors/error-types.js';

/**
 * A failure the transport itself decides (oversize body, redirect loop, bad redirect). It
 * carries no integration context; `classify` turns it into a typed IntegrationError.
 */
export class TransportFailure extends Error {
  constructor(
    readonly code: Extract<
      ErrorCode,
      'RESPONSE_TOO_LARGE' | 'TOO_MANY_REDIRECTS' | 'INVALID_RESPONSE' | 'EGRESS_DENIED'
    >,
    message: string,
    readonly status?: number,
  ) {
    super(message);
    this.name = 'TransportFailure';
  }
}
