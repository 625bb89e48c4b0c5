import type { RetryOptions } from '@patchbay/core';

/**
 * For a POST that carries an idempotency key: Zendesk answers a repeat with the first result,
 * so the request may be retried even after it may have landed. One shared, frozen object: the
 * client finds the pipeline for it by identity.
 */
export const RETRY_WITH_IDEMPOTENCY_KEY: RetryOptions = Object.freeze({ retryNonIdempotent: true });
