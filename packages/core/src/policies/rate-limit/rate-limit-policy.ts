import { isIntegrationError } from '../../errors/integration-error.js';
import type { Policy } from '../pipeline.js';
import type { RateLimiter } from './rate-limiter.js';

/**
 * Takes a token before each attempt. Belongs inside retry, so a retry also spends a token (the
 * upstream counts it), and outside auth and signing, so a long wait does not stale a signature
 * or an OAuth token, and outside the attempt timeout, so waiting does not eat the attempt's time.
 * A wait past the call's deadline throws `IntegrationRateLimited` with `requestSent: false`,
 * which retry gives up on at once (`retry_after_too_long`) since its wait is past the deadline too.
 */
export function rateLimitAcquirePolicy(limiter: RateLimiter): Policy {
  return (next) => async (req, call, signal) => {
    await limiter.acquire(call);
    return next(req, call, signal);
  };
}

/**
 * Shows the limiter every response, whatever its status, with all its headers. Belongs
 * innermost, between classify and the transport: there a 429 or GitHub's 403 is still a
 * response with `X-RateLimit-*` on it, not yet an error that has lost them. The pause is
 * written before the response goes on, so the retry that follows already sees it.
 */
export function rateLimitObservePolicy(limiter: RateLimiter): Policy {
  return (next) => async (req, call, signal) => {
    const res = await next(req, call, signal);
    await learnQuietly(limiter.observe(res.headers, res.status));
    return res;
  };
}

/**
 * Acquire and observe in one policy: the one to wire, right inside retry (so each attempt takes
 * a token and is learnt from). It sees a 2xx response whole, and a failed attempt through the
 * upstream response its error keeps (`attachedResponse`, set by classify), so a 429's or a 403's
 * quota headers are read too. Outside retry it would work per call and learn only from the last
 * attempt. Use either this or the acquire + observe pair, not both: each would count the same 429.
 */
export function rateLimitPolicy(limiter: RateLimiter): Policy {
  return (next) => async (req, call, signal) => {
    await limiter.acquire(call);
    let res: Awaited<ReturnType<typeof next>>;
    try {
      res = await next(req, call, signal);
    } catch (thrown) {
      if (isIntegrationError(thrown)) await learnQuietly(limiter.observeError(thrown));
      throw thrown;
    }
    await learnQuietly(limiter.observe(res.headers, res.status));
    return res;
  };
}

/**
 * Learning is best effort: if the store cannot record a pause, the response in hand is still
 * the caller's answer. (The next acquire meets the same store and reports its failure.)
 */
async function learnQuietly(learning: Promise<unknown>): Promise<void> {
  try {
    await learning;
  } catch {
    // deliberately ignored; see above
  }
}
