import type { SourceSettings } from '../config/webhook-settings.js';
import { type GenericHmacSettings, verifyGenericHmac } from './generic-hmac.js';
import { verifyGithub } from './github.js';
import { verifySlack } from './slack.js';
import { verifyStandardWebhook } from './standard-webhooks.js';
import { verifyStripe } from './stripe.js';
import { type SignedRequest, VERIFIED, type Verification } from './verification.js';

/**
 * Checks a request against its source's scheme, over the raw bytes. `verify: none` passes (the
 * source was configured unsigned on purpose); every other scheme needs at least one secret.
 */
export function verifySource(
  settings: SourceSettings,
  secrets: readonly string[],
  request: SignedRequest,
): Verification {
  const toleranceMs = settings.toleranceSeconds * 1000;
  switch (settings.verify) {
    case 'none':
      return VERIFIED;
    case 'github':
      return verifyGithub(secrets, request);
    case 'slack':
      return verifySlack(secrets, request, toleranceMs);
    case 'standard':
      return verifyStandardWebhook(secrets, request, toleranceMs);
    case 'stripe':
      return verifyStripe(secrets, request, toleranceMs);
    case 'hmac':
      return verifyGenericHmac(secrets, settings.hmac as GenericHmacSettings, request, toleranceMs);
  }
}
