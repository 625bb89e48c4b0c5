import type { FakeResponse } from '../../types.js';
import { paymentsError } from './payments-records.js';

/** Fault switches of the fake payments API, checked before anything else (as a gateway would). */
export class PaymentsFaults {
  #failures: { status: number; left: number; retryAfter: number | undefined }[] = [];
  #limited: { retryAfter: number; left: number } | undefined;
  dropNextCommit = false;

  failNext(status: number, times: number, retryAfter: number | undefined): void {
    if (!Number.isInteger(status) || status < 400 || status > 599) {
      throw new TypeError(`failNext needs an HTTP error status (400-599), got ${status}`);
    }
    this.#failures.push({ status, left: times, retryAfter });
  }

  rateLimit(retryAfter: number, times: number): void {
    if (!Number.isInteger(retryAfter) || retryAfter < 0) {
      throw new TypeError('retryAfter must be a whole number of seconds >= 0');
    }
    this.#limited = { retryAfter, left: times };
  }

  clearRateLimit(): void {
    this.#limited = undefined;
  }

  /** The injected answer for this request, if a switch is on. */
  take(): FakeResponse | undefined {
    if (this.#limited && this.#limited.left > 0) {
      this.#limited.left--;
      return {
        status: 429,
        headers: { 'retry-after': String(this.#limited.retryAfter) },
        json: paymentsError('rate_limited', 'Too many requests'),
      };
    }
    const failure = this.#failures[0];
    if (!failure) return undefined;
    if (--failure.left <= 0) this.#failures.shift();
    return {
      status: failure.status,
      ...(failure.retryAfter === undefined ? {} : { headers: { 'retry-after': String(failure.retryAfter) } }),
      json: paymentsError('injected_fault', `Injected HTTP ${failure.status}`),
    };
  }
}
