import type { Logger } from '@patchbay/core';
import type { WebhookMetrics } from '../metrics.js';
import type { RejectionReason } from '../signatures/verification.js';

/** One refused delivery, as the logs route shows it (never the body, the signature or a secret). */
export interface Rejection {
  at: number;
  reason: RejectionReason;
  requestId: string;
  remoteAddress: string | undefined;
}

const KEPT_PER_SOURCE = 50;
const UNKNOWN = '(unknown)';

/**
 * Counts, logs and remembers refused deliveries. The last 50 per configured source are kept in
 * this process's memory for `GET …/logs` (rejections are not stored: a flood of forged requests
 * must not fill the database).
 */
export class Rejections {
  private readonly recent = new Map<string, Rejection[]>();

  constructor(
    private readonly metrics: WebhookMetrics,
    private readonly log: Logger | undefined,
  ) {}

  /**
   * Records a refusal. `known` says whether `source` is configured: unknown names are counted under
   * `(unknown)`, so random paths cannot grow the metric's label set.
   */
  record(
    source: string,
    known: boolean,
    reason: RejectionReason,
    request: { id: string; ip?: string },
  ): void {
    const label = known ? source : UNKNOWN;
    this.metrics.rejections.inc({ source: label, reason });
    this.log?.warn({ source: label, reason, requestId: request.id }, 'webhook delivery refused');
    if (!known) return;
    const list = this.recent.get(source) ?? [];
    list.unshift({ at: Date.now(), reason, requestId: request.id, remoteAddress: request.ip });
    if (list.length > KEPT_PER_SOURCE) list.length = KEPT_PER_SOURCE;
    this.recent.set(source, list);
  }

  /** The most recent refusals of one source, newest first. */
  of(source: string): readonly Rejection[] {
    return this.recent.get(source) ?? [];
  }
}
