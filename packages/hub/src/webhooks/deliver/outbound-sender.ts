import { createHash } from 'node:crypto';
import {
  type CircuitBreakerConfig,
  type Client,
  createClient,
  type EgressOptions,
  isIntegrationError,
  type Logger,
  type StateStore,
} from '@patchbay/core';
import { failureJson } from '../dead-letters.js';
import { signStandardWebhook } from '../signatures/standard-webhooks.js';

export interface OutboundSenderOptions {
  /** Which destinations may be reached; private and loopback addresses only when allowed. @default {} */
  egress?: EgressOptions | undefined;
  /** Shared breaker state (a RedisStore makes several hub processes share each destination's breaker). */
  store?: StateStore | undefined;
  /** One attempt, connect to last byte. @default 10000 */
  timeoutMs?: number | undefined;
  /** Per-destination breaker. @default 5 failures of at least 5 calls in a minute open it for 30 s */
  circuitBreaker?: CircuitBreakerConfig | undefined;
  log?: Logger | undefined;
}

/** What one delivery attempt came to. */
export type SendResult =
  | { ok: true; status: number }
  | { ok: false; status: number | null; error: { type: string; message: string } };

/** One signed message: `webhook-id`, the signing secrets, and the JSON body. */
export interface OutboundMessage {
  url: string;
  messageId: string;
  secrets: readonly string[];
  body: string;
}

const DEFAULT_BREAKER: CircuitBreakerConfig = {
  failureThreshold: 5,
  minimumCalls: 5,
  failureRateThreshold: 0.5,
  recoveryTimeout: 30_000,
  windowMs: 60_000,
};

/**
 * Sends Standard Webhooks-signed POSTs through the client kernel: one client per destination
 * origin, so each destination has its own circuit breaker (an open breaker answers at once without
 * touching the network) and every connection obeys the egress policy on the address dialled.
 * Retries are not the client's: the outbox schedules them, durably.
 */
export class OutboundSender {
  private readonly clients = new Map<string, Client>();

  constructor(private readonly options: OutboundSenderOptions = {}) {}

  async send(message: OutboundMessage, now: number = Date.now()): Promise<SendResult> {
    const url = new URL(message.url);
    const timestamp = String(Math.floor(now / 1000));
    try {
      const response = await this.clientFor(url.origin).request('POST', url.pathname + url.search, {
        body: message.body,
        headers: {
          'content-type': 'application/json',
          accept: '*/*',
          'webhook-id': message.messageId,
          'webhook-timestamp': timestamp,
          'webhook-signature': signStandardWebhook(
            message.secrets,
            message.messageId,
            timestamp,
            message.body,
          ),
        },
        retry: false,
        operation: 'deliver',
      });
      return { ok: true, status: response.status };
    } catch (error) {
      const status = isIntegrationError(error) ? (error.status ?? null) : null;
      // Any 2xx is an acknowledgement, even with a body we cannot parse.
      if (status !== null && status >= 200 && status < 300) return { ok: true, status };
      return { ok: false, status, error: failureJson(error) };
    }
  }

  /** Closes every destination's connection pool. */
  async close(): Promise<void> {
    const clients = [...this.clients.values()];
    this.clients.clear();
    await Promise.allSettled(clients.map((client) => client.close()));
  }

  private clientFor(origin: string): Client {
    let client = this.clients.get(origin);
    if (!client) {
      client = createClient({
        name: 'webhook-out',
        baseUrl: origin,
        // Breaker and limiter state keys are per credential id: per destination here.
        credentialId: createHash('sha256').update(origin).digest('base64url').slice(0, 16),
        egress: this.options.egress ?? {},
        ...(this.options.store ? { store: this.options.store } : {}),
        circuitBreaker: this.options.circuitBreaker ?? DEFAULT_BREAKER,
        retry: false,
        timeout: this.options.timeoutMs ?? 10_000,
        maxResponseBytes: 1024 * 1024,
        defaultHeaders: { 'user-agent': 'patchbay-webhooks/0.1' },
        logger: this.options.log ?? false,
        metricsRegistry: false,
      });
      this.clients.set(origin, client);
    }
    return client;
  }
}
