import type { FastifyReply, FastifyRequest } from 'fastify';
import { HubError, notFound } from '../../server/hub-errors.js';
import type { NewWebhookDelivery, ReceiveResult, WebhookDeliveryRepository } from '../../storage/index.js';
import { GroupCommit } from '../group-commit.js';
import type { WebhookMetrics } from '../metrics.js';
import type { SourceRegistry } from '../registry/source-registry.js';
import type { RejectionReason } from '../signatures/verification.js';
import { verifySource } from '../signatures/verify-source.js';
import { parsePayload } from '../transform/parse-payload.js';
import { deliveryIdOf } from './delivery-id.js';
import { keptHeaders } from './kept-headers.js';
import type { Rejections } from './rejections.js';

export interface ReceiverDeps {
  sources: SourceRegistry;
  deliveries: WebhookDeliveryRepository;
  rejections: Rejections;
  metrics: WebhookMetrics;
  /** The largest body any source accepts (a source may set less). */
  maxBodyBytes: number;
  /** Called after a delivery is committed, so a worker picks it up without waiting for its poll. */
  onStored: () => void;
}

/** What the sender gets back for an accepted delivery. */
export interface ReceiptAnswer {
  received: true;
  /** True when this delivery id was stored before: nothing new was stored, nothing runs twice. */
  duplicate: boolean;
  /** The stored delivery's id (for the logs route). */
  id: string | undefined;
  deliveryId: string;
}

/** Marks a delivery sent by the test route (it is signed like any other). */
export const TEST_HEADER = 'x-patchbay-test';
const TEST_HOLD_MS = 60_000;

/** The one answer to every signature failure: it must not tell an attacker which check failed. */
const badSignature = () =>
  new HubError('HubAuthError', 401, 'Webhook signature verification failed', { code: 'INVALID_SIGNATURE' });

/**
 * Receives one delivery: finds the source, checks the size and the signature over the raw bytes,
 * answers Slack's `url_verification` challenge, and stores the delivery (deduplicated by its
 * delivery id) BEFORE answering, so a 2xx means it is durable. Processing happens later, from
 * storage. Refusals are counted and logged, never explained to the sender beyond the status.
 */
export class WebhookReceiver {
  /** Receipts are group-committed: a burst of deliveries shares one transaction. */
  private readonly receipts: GroupCommit<NewWebhookDelivery, ReceiveResult>;

  constructor(private readonly deps: ReceiverDeps) {
    this.receipts = new GroupCommit(
      (entries) => deps.deliveries.receiveMany(entries),
      (entry) => deps.deliveries.receive(entry),
    );
  }

  async handle(sourceName: string, request: FastifyRequest, reply: FastifyReply): Promise<unknown> {
    const { sources, metrics } = this.deps;
    const now = Date.now();
    const source = await sources.get(sourceName);
    const refuse = (reason: RejectionReason, error: HubError): never => {
      this.deps.rejections.record(sourceName, source !== undefined, reason, request);
      (request as { webhookRefused?: boolean }).webhookRefused = true;
      throw error;
    };
    if (!source) return refuse('unknown_source', notFound(`No webhook source named ${sourceName}`));
    if (!source.settings.enabled)
      return refuse('disabled_source', notFound(`No webhook source named ${sourceName}`));

    const body = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
    const limit = Math.min(source.settings.maxBodyBytes ?? this.deps.maxBodyBytes, this.deps.maxBodyBytes);
    if (body.length > limit) {
      return refuse(
        'body_too_large',
        new HubError('HubRequestError', 413, 'Request body is too large', {
          code: 'FST_ERR_CTP_BODY_TOO_LARGE',
        }),
      );
    }
    const check = verifySource(source.settings, source.secrets, {
      headers: request.headers,
      body,
      method: request.method,
      url: request.url,
      now,
    });
    if (!check.ok) return refuse(check.reason, badSignature());

    const contentType =
      typeof request.headers['content-type'] === 'string' ? request.headers['content-type'] : null;
    const text = body.toString('utf8');
    let parsed: unknown;
    const payload = () => {
      parsed ??= parsePayload(contentType, text);
      return parsed;
    };
    if (source.settings.verify === 'slack') {
      // Slack's Events API proves the URL once, signed like any event; it is answered, not stored.
      const challenge = slackChallenge(payload());
      if (challenge !== undefined) return reply.code(200).send({ challenge });
    }
    const deliveryId = deliveryIdOf(source.settings, request.headers, body, payload);
    if (deliveryId === undefined) {
      return refuse(
        'missing_delivery_id',
        new HubError('HubRequestError', 400, 'The delivery carries no delivery id', {
          code: 'MISSING_DELIVERY_ID',
        }),
      );
    }
    // A test delivery is processed by the test route itself; workers leave it alone for a minute.
    const test = request.headers[TEST_HEADER] === '1';
    const stored = await this.receipts.write({
      source: source.name,
      deliveryId,
      contentType,
      headers: keptHeaders(request.headers, source.settings.hmac?.header),
      body: text,
      verification: source.settings.verify === 'none' ? 'unsigned' : 'verified',
      test,
      ...(test ? { nextAttemptAt: now + TEST_HOLD_MS } : {}),
    });
    metrics.received.inc({ source: source.name, outcome: stored.stored ? 'stored' : 'duplicate' });
    if (stored.stored && !test) this.deps.onStored();
    const answer: ReceiptAnswer = { received: true, duplicate: !stored.stored, id: stored.id, deliveryId };
    return reply.code(200).send(answer);
  }
}

function slackChallenge(payload: unknown): string | undefined {
  if (typeof payload !== 'object' || payload === null) return undefined;
  const { type, challenge } = payload as { type?: unknown; challenge?: unknown };
  return type === 'url_verification' && typeof challenge === 'string' ? challenge : undefined;
}
