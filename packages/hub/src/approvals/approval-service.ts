import { randomUUID } from 'node:crypto';
import type { AnyOperation, Logger } from '@patchbay/core';
import type { Channel } from '../operations/operation-invoker.js';
import type { Principal } from '../server/auth.js';
import { conflict, forbidden, notFound } from '../server/hub-errors.js';
import type { HostedIntegration, IntegrationHost } from '../server/integration-host.js';
import { redactInput } from '../server/redact-input.js';
import type { ApprovalRecord, ApprovalRepository, ApprovalStatus, AuditWriter } from '../storage/index.js';
import { approvalFailure } from './approval-failure.js';
import { approvalPreview } from './approval-preview.js';
import { ApprovalPolicy, type ApprovalSettings } from './approval-settings.js';
import { type ApprovalView, approvalView } from './approval-view.js';
import { ApprovalWaiters, type Settlement } from './approval-waiters.js';

/** The edges whose calls wait for approval: an agent's. A person at the CLI, or a replay, does not. */
export const GATED_CHANNELS: ReadonlySet<Channel> = new Set<Channel>(['mcp', 'bus']);

/** A call the gate looks at: the invoker's `Invocation`, plus a hook for the waiting caller. */
export interface GateCall {
  integration: string;
  operation: string;
  input: unknown;
  principal?: Principal | undefined;
  requestId: string;
  channel: Channel;
  /** Ends the wait at once (the caller went away); the approval is marked `cancelled`. */
  signal?: AbortSignal | undefined;
  /** A dry run sends nothing, so it never waits. */
  dryRun?: boolean | undefined;
  /** Called once the approval is stored and waits (MCP tells the client which approval to look for). */
  onWaiting?: ((approval: ApprovalView) => void) | undefined;
}

export interface ApprovalServiceOptions {
  host: IntegrationHost;
  repository: ApprovalRepository;
  settings: ApprovalSettings;
  /** Denied, timed-out and cancelled calls are written to the audit log (granted ones by the invoker). */
  audit?: AuditWriter;
  log?: Logger;
  /** How often waiting calls read their approvals, ms. @default 250 */
  pollMs?: number;
  /** How often waiting calls mark their approvals as waited on, ms. @default 1000 */
  heartbeatMs?: number;
  /** A pending approval whose caller has not been seen for this long cannot be granted, ms. @default 10000 */
  abandonAfterMs?: number;
  now?: () => number;
}

export interface ApprovalListQuery {
  /** @default 'pending' (those still waiting) */
  status?: ApprovalStatus;
  cursor?: string;
  limit?: number;
}

/**
 * Writes that need a person's approval: the gate an agent's call passes through before the
 * invoker sends it, and the decisions admins take through the API.
 *
 * The gate stores the approval (the input redacted, and the request a dry run says the call
 * would send) and waits until an admin grants or denies it, it times out, or the caller goes
 * away. The database row is the truth, so an admin may decide through any hub process: a
 * decision taken here settles the call at once, one taken elsewhere within a poll (250 ms).
 * Every move out of `pending` is a compare-and-set, so a grant racing a timeout has one winner.
 */
export class ApprovalService {
  readonly policy: ApprovalPolicy;
  private readonly waiters: ApprovalWaiters;
  private readonly closing = new AbortController();
  private readonly now: () => number;
  private readonly abandonAfterMs: number;

  constructor(private readonly options: ApprovalServiceOptions) {
    this.policy = new ApprovalPolicy(options.settings);
    this.now = options.now ?? Date.now;
    this.abandonAfterMs = options.abandonAfterMs ?? 10_000;
    this.waiters = new ApprovalWaiters(options.repository, {
      ...(options.pollMs === undefined ? {} : { pollMs: options.pollMs }),
      ...(options.heartbeatMs === undefined ? {} : { heartbeatMs: options.heartbeatMs }),
      now: this.now,
      ...(options.log ? { log: options.log } : {}),
    });
  }

  /** How long a call waits for a decision, ms. */
  get timeoutMs(): number {
    return this.policy.timeoutMs;
  }

  /** True when this operation is a write that the settings put behind approval (any channel). */
  needsApproval(integration: string, operation: string): boolean {
    if (this.policy.empty || !this.policy.matches(integration, operation)) return false;
    return this.operation(this.options.host.get(integration), operation)?.kind === 'write';
  }

  /** True when this call waits for approval: a write the settings name, from an agent, not a dry run. */
  requires(call: Pick<GateCall, 'integration' | 'operation' | 'channel' | 'dryRun'>): boolean {
    return (
      !call.dryRun && GATED_CHANNELS.has(call.channel) && this.needsApproval(call.integration, call.operation)
    );
  }

  /**
   * Returns at once when the call needs no approval, or when its input is invalid or its
   * integration unusable (the invoker then answers that). Otherwise stores a pending approval
   * and resolves once it is granted; throws an {@link ApprovalError} when it is denied, times
   * out, or the caller goes away (`ApprovalCancelled`).
   * @example
   * await approvals.gate({ integration, operation, input, principal, requestId, channel: 'bus' });
   * const outcome = await invoker.invoke({ ... });
   */
  async gate(call: GateCall): Promise<void> {
    if (!this.requires(call)) return;
    const entry = this.options.host.get(call.integration);
    const op = this.operation(entry, call.operation);
    if (!entry || !op) return;
    const preview = await approvalPreview(entry, call, this.options.log);
    if (preview === undefined) return;

    const started = this.now();
    const record = await this.options.repository.create({
      id: randomUUID(),
      expiresAt: started + this.policy.timeoutMs,
      integration: call.integration,
      operation: call.operation,
      channel: call.channel,
      requestId: call.requestId,
      requestedBy: call.principal?.id ?? null,
      requestedByName: call.principal?.name ?? null,
      input: redactInput(call.input, op.input),
      preview,
    });
    this.options.log?.info(
      {
        approvalId: record.id,
        integration: call.integration,
        operation: call.operation,
        channel: call.channel,
      },
      'call waits for approval',
    );
    call.onWaiting?.(approvalView(record, this.now()));

    const settlement = await this.decision(record, call.signal);
    if (settlement.status === 'granted') return;
    const error = approvalFailure(record, settlement, this.policy.timeoutMs);
    this.options.audit
      ?.record({
        requestId: call.requestId,
        tokenId: call.principal?.id ?? null,
        integration: call.integration,
        operation: call.operation,
        outcome: error.code.toLowerCase(),
        errorType: error.type,
        durationMs: this.now() - started,
        inputRedacted: record.input,
      })
      .catch((err: unknown) => this.options.log?.error({ err }, 'audit row not written'));
    throw error;
  }

  /** Approvals, newest first; by default those still waiting for a decision. */
  async list(query: ApprovalListQuery = {}): Promise<{ approvals: ApprovalView[]; nextCursor?: string }> {
    const now = this.now();
    const status = query.status ?? 'pending';
    const page = await this.options.repository.list({
      status,
      ...(status === 'pending' ? { liveAt: now } : {}),
      ...(query.cursor === undefined ? {} : { cursor: query.cursor }),
      ...(query.limit === undefined ? {} : { limit: query.limit }),
    });
    return {
      approvals: page.rows.map((row) => approvalView(row, now)),
      ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}),
    };
  }

  async get(id: string): Promise<ApprovalView> {
    const record = await this.options.repository.get(id);
    if (!record) throw notFound(`No approval ${id}`);
    return approvalView(record, this.now());
  }

  /** Lets the waiting call go on. The token that made the call may not grant it. */
  grant(id: string, principal: Principal | undefined, reason?: string): Promise<ApprovalView> {
    return this.decide(id, 'granted', principal, reason);
  }

  /** Ends the waiting call with `ApprovalDenied` (and the reason, which the agent sees). */
  deny(id: string, principal: Principal | undefined, reason?: string): Promise<ApprovalView> {
    return this.decide(id, 'denied', principal, reason);
  }

  /** Ends every wait of this process (as `ApprovalCancelled`), so a closing hub does not hang on them. */
  close(): void {
    this.closing.abort(new Error('the hub is shutting down'));
  }

  private async decide(
    id: string,
    status: 'granted' | 'denied',
    principal: Principal | undefined,
    reason: string | undefined,
  ): Promise<ApprovalView> {
    const { repository } = this.options;
    const record = await repository.get(id);
    if (!record) throw notFound(`No approval ${id}`);
    const now = this.now();
    if (record.status !== 'pending') throw conflict(`Approval ${id} is already ${record.status}`);
    if (record.expiresAt <= now) {
      await repository.finish(id, 'expired', null, now);
      throw conflict(`Approval ${id} has expired`);
    }
    if (now - record.waiterSeenAt > this.abandonAfterMs) {
      await repository.finish(id, 'abandoned', 'the waiting call went away', now);
      throw conflict(`Approval ${id} can no longer be decided: the call that asked for it is gone`);
    }
    if (status === 'granted' && principal && record.requestedBy === principal.id) {
      throw forbidden('An approval cannot be granted with the token that asked for it');
    }
    const decided = await repository.decide(id, {
      status,
      by: principal?.id ?? null,
      byName: principal?.name ?? null,
      reason: reason ?? null,
      at: now,
    });
    const fresh = await repository.get(id);
    if (!decided || !fresh) throw conflict(`Approval ${id} is already ${fresh?.status ?? 'gone'}`);
    this.waiters.settle(id, { status, reason: reason ?? null, decidedBy: principal?.id ?? null });
    this.options.log?.info({ approvalId: id, status, by: principal?.id ?? 'local' }, `approval ${status}`);
    return approvalView(fresh, this.now());
  }

  /** Waits for the approval to leave `pending`; a deadline or an abort moves it there itself. */
  private async decision(record: ApprovalRecord, signal: AbortSignal | undefined): Promise<Settlement> {
    const signals = signal ? [signal, this.closing.signal] : [this.closing.signal];
    const ended = await new Promise<Settlement | 'expired' | 'aborted'>((resolve) => {
      let done = false;
      const finish = (value: Settlement | 'expired' | 'aborted') => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        for (const s of signals) s.removeEventListener('abort', onAbort);
        resolve(value);
      };
      const onAbort = () => finish('aborted');
      const timer = setTimeout(() => finish('expired'), Math.max(0, record.expiresAt - this.now()));
      for (const s of signals) s.addEventListener('abort', onAbort, { once: true });
      if (signals.some((s) => s.aborted)) finish('aborted');
      this.waiters.wait(record.id).then(finish);
    });
    if (typeof ended !== 'string') return ended;
    this.waiters.drop(record.id);
    const status = ended === 'expired' ? 'expired' : 'cancelled';
    const why = ended === 'expired' ? null : signalReason(signals);
    if (await this.options.repository.finish(record.id, status, why)) {
      return { status, reason: why, decidedBy: null };
    }
    // Decided in the same instant elsewhere: a grant to a caller still here stands.
    const [state] = await this.options.repository.states([record.id]);
    if (ended === 'expired' && state && state.status !== 'pending') {
      return { status: state.status, reason: state.reason, decidedBy: state.decidedBy };
    }
    return { status, reason: why, decidedBy: null };
  }

  private operation(
    entry: HostedIntegration | undefined,
    operation: string,
  ): AnyOperation<never> | undefined {
    const ops = entry?.definition.operations;
    return ops && Object.hasOwn(ops, operation) ? ops[operation] : undefined;
  }
}

function signalReason(signals: readonly AbortSignal[]): string {
  const reason = signals.find((s) => s.aborted)?.reason;
  return reason instanceof Error ? reason.message : 'the caller went away';
}
