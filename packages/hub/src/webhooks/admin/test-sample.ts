import { randomUUID } from 'node:crypto';
import type { ResolvedSource } from '../registry/source-registry.js';
import { type GenericHmacSettings, signGenericHmac } from '../signatures/generic-hmac.js';
import { signGithub } from '../signatures/github.js';
import { signSlack } from '../signatures/slack.js';
import { signStandardWebhook } from '../signatures/standard-webhooks.js';
import { signStripe } from '../signatures/stripe.js';

/** A request as its sender would send it: body, content type and headers, signature included. */
export interface SignedSample {
  body: string;
  headers: Record<string, string>;
}

/** The sample payload for a source, shaped for its transformation (GitHub's own test event is `ping`). */
function samplePayload(
  source: ResolvedSource,
  now: number,
): { payload: unknown; headers: Record<string, string> } {
  const tag = randomUUID().replaceAll('-', '').slice(0, 16);
  const seconds = Math.floor(now / 1000);
  const transform = typeof source.settings.transform === 'string' ? source.settings.transform : undefined;
  const kind = transform ?? source.settings.verify;
  switch (kind) {
    case 'github':
      return {
        payload: { zen: 'Patchbay test delivery', hook_id: 0 },
        headers: { 'x-github-event': 'ping', 'x-github-delivery': randomUUID() },
      };
    case 'slack':
      return {
        payload: {
          type: 'event_callback',
          event_id: `EvTEST${tag}`,
          event_time: seconds,
          event: { type: 'patchbay_test', text: 'Patchbay test delivery' },
        },
        headers: {},
      };
    case 'stripe':
      return {
        payload: {
          id: `evt_test_${tag}`,
          object: 'event',
          type: 'patchbay.test',
          created: seconds,
          data: { object: {} },
        },
        headers: {},
      };
    case 'standard':
      return {
        payload: {
          type: 'patchbay.test',
          timestamp: new Date(now).toISOString(),
          data: { message: 'Patchbay test' },
        },
        headers: { 'webhook-id': `msg_test_${tag}` },
      };
    case 'transactions':
      return {
        payload: {
          type: 'transaction.updated',
          event_id: `evt_test_${tag}`,
          transaction_id: 'TXN-TEST',
          status: 'completed',
        },
        headers: {},
      };
    default: {
      const headers: Record<string, string> = {};
      if (source.settings.typeHeader) headers[source.settings.typeHeader.toLowerCase()] = 'patchbay.test';
      if (source.settings.deliveryId?.header)
        headers[source.settings.deliveryId.header.toLowerCase()] = `test-${tag}`;
      return {
        payload: { type: 'patchbay.test', id: `test-${tag}`, message: 'Patchbay test delivery' },
        headers,
      };
    }
  }
}

/**
 * A sample delivery for a source, signed with its first secret exactly as its sender would sign
 * it (nothing is signed for `verify: none`). `payload` replaces the sample body.
 */
export function signedSample(
  source: ResolvedSource,
  url: string,
  payload?: unknown,
  now = Date.now(),
): SignedSample {
  const sample = samplePayload(source, now);
  const body = JSON.stringify(payload ?? sample.payload);
  const headers: Record<string, string> = { 'content-type': 'application/json', ...sample.headers };
  if (payload !== undefined && source.settings.verify === 'standard') {
    headers['webhook-id'] ??= `msg_test_${randomUUID().replaceAll('-', '')}`;
  }
  const secret = source.secrets[0] ?? '';
  const timestamp = String(Math.floor(now / 1000));
  switch (source.settings.verify) {
    case 'github':
      headers['x-hub-signature-256'] = signGithub(secret, body);
      break;
    case 'slack':
      headers['x-slack-request-timestamp'] = timestamp;
      headers['x-slack-signature'] = signSlack(secret, timestamp, body);
      break;
    case 'standard':
      headers['webhook-timestamp'] = timestamp;
      headers['webhook-signature'] = signStandardWebhook(
        [secret],
        headers['webhook-id'] as string,
        timestamp,
        body,
      );
      break;
    case 'stripe':
      headers['stripe-signature'] = signStripe([secret], timestamp, body);
      break;
    case 'hmac':
      Object.assign(
        headers,
        signGenericHmac(secret, source.settings.hmac as GenericHmacSettings, {
          method: 'POST',
          url,
          body,
          timestamp,
        }),
      );
      break;
    case 'none':
      break;
  }
  return { body, headers };
}
