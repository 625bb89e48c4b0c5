import { randomUUID } from 'node:crypto';
import {
  type AnyOperation,
  type IntegrationDefinition,
  type IntegrationError,
  type IntegrationErrorJson,
  isIntegrationError,
  type Logger,
} from '@patchbay/core';
import { dlqAad, type SecretCipher } from '../secrets/index.js';
import type { Principal } from '../server/auth.js';
import { conflict, forbidden, notFound } from '../server/hub-errors.js';
import type { HostedIntegration, IntegrationHost } from '../server/integration-host.js';
import { redactInput } from '../server/redact-input.js';
import type { AuditWriter, DeadLetter, Repositories } from '../storage/index.js';
import { normalizeToolArguments } from '../tools/tool-arguments.js';
import { ToolCatalog } from '../tools/tool-catalog.js';

/** Where a call came in: written to logs, and the reason one code path serves them all. */
export type Channel = 'rest' | 'mcp' | 'bus' | 'cli' | 'replay';

export interface Invocation {
  integration: string;
  operation: string;
  /** Raw input, validated by the operation's schema (the one validation, whatever the edge). */
  input: unknown;
  /** Who asked; `undefined` for a local command (the CLI acts as the database's owner). */
  principal?: Principal | undefined;
  /** Written to the audit row and logs; one per call. */
  requestId: string;
  channel: Channel;
  /** Ends the call when the caller goes away (REST client disconnects, MCP cancellation). */
  signal?: AbortSignal;
  idempotencyKey?: string;
  /**
   * Show the write the operation would send (secrets redacted) instead of sending it; the result
   * is `{ dryRun: true, operation, request }`. Audited as `dry_run`, never dead-lettered.
   */
  dryRun?: boolean;
}

/** What a call produced; a failure is a value, so every edge renders it in its own way. */
export type InvocationOutcome =
  | { ok: true; result: unknown }
  | {
      ok: false;
      error: unknown;
      /** The typed error's wire JSON (`{ type, message, retryable, … }`). */
      body: IntegrationErrorJson | { type: string; message: string; retryable: boolean };
      httpStatus: number;
      /** Set when the failed write was kept in the dead-letter queue for replay. */
      deadLetterId?: string;
    };

/** What runs calls the invoker's way: the invoker itself, or the approval gate in front of it. */
export interface InvocationRunner {
  invoke(call: Invocation): Promise<InvocationOutcome>;
}

export interface OperationInvokerDeps {
  /** The hub's tool catalog (schemas converted once, shared with MCP, the bus and /api/tools). */
  catalog?: ToolCatalog;
  host: IntegrationHost;
  repositories: Repositories;
  cipher: SecretCipher;
  audit: AuditWriter;
  log?: Logger;
}

/**
 * The one path every operation call takes, whichever edge it came through (REST, MCP, bus, CLI,
 * dead-letter replay): resolve and authorize, call (validation, cache, limits, breaker, retry
 * inside), audit, dead-letter a failed write.
 */
export class OperationInvoker {
  private readonly replayers = new Map<string, (letter: DeadLetter) => Promise<InvocationOutcome>>();
  /** Tool schemas, built once per definition: agents' arguments are shaped back by them. */
  private readonly catalog: ToolCatalog;

  constructor(private readonly deps: OperationInvokerDeps) {
    this.catalog = deps.catalog ?? new ToolCatalog();
  }

  /**
   * Dead letters whose `integration` is `kind` are not operation calls (webhook deliveries): `replay`
   * hands them to `replayer`, which marks them replayed or failed itself.
   */
  replayLettersOf(kind: string, replayer: (letter: DeadLetter) => Promise<InvocationOutcome>): void {
    this.replayers.set(kind, replayer);
  }

  /** The hosted integration and operation; throws a 404 HubError naming what exists. */
  resolve(integration: string, operation: string): { entry: HostedIntegration; op: AnyOperation<never> } {
    const { host } = this.deps;
    const entry = host.get(integration);
    if (!entry) {
      throw notFound(`No integration named ${integration} (known: ${host.names().join(', ') || 'none'})`);
    }
    const ops = entry.definition.operations;
    const op = Object.hasOwn(ops, operation) ? ops[operation] : undefined;
    if (!op) {
      throw notFound(
        `Integration ${integration} has no operation ${operation} (operations: ${Object.keys(ops).join(', ')})`,
      );
    }
    return { entry, op };
  }

  /** Throws a 403 HubError when the principal may not make this call (integration set, read-only). */
  authorize(
    principal: Principal | undefined,
    integration: string,
    op: AnyOperation<never>,
    operation: string,
  ): void {
    if (!principal) return;
    if (principal.integrations !== null && !principal.integrations.includes(integration)) {
      throw forbidden(`This token may not reach integration ${integration}`);
    }
    if (op.kind === 'write' && principal.readOnly) {
      throw forbidden(`This token is read-only; ${integration}.${operation} is a write`);
    }
  }

  /**
   * Calls the operation. Resolution and authorization failures throw a HubError; everything after
   * (bad input, upstream failures) comes back as a failed outcome, already audited and, for a
   * write that failed for a reason other than its input, dead-lettered (committed before this
   * returns, so an acknowledged dead letter is durable).
   */
  async invoke(call: Invocation): Promise<InvocationOutcome> {
    const { entry, op } = this.resolve(call.integration, call.operation);
    this.authorize(call.principal, call.integration, op, call.operation);
    const started = performance.now();
    let result: unknown;
    let failure: unknown;
    let failed = false;
    const input = this.agentArguments(entry.definition, call.operation, call.input);
    const options = {
      ...(call.signal ? { signal: call.signal } : {}),
      ...(call.idempotencyKey === undefined ? {} : { idempotencyKey: call.idempotencyKey }),
    };
    try {
      result = call.dryRun
        ? await entry.integration.dryRun(call.operation, input as never, options)
        : await entry.integration.call(call.operation, input as never, options);
    } catch (error) {
      failed = true;
      failure = error;
    }
    const integrationError = isIntegrationError(failure) ? (failure as IntegrationError) : undefined;
    this.audit(call, op, performance.now() - started, failed, integrationError);
    if (!failed) return { ok: true, result: result ?? null };

    const body = integrationError
      ? integrationError.toJSON()
      : ({ type: 'Error', message: 'unexpected error', retryable: false } as const);
    const outcome: InvocationOutcome = {
      ok: false,
      error: failure,
      body,
      httpStatus: integrationError?.httpStatus ?? 500,
    };
    if (
      op.kind === 'write' &&
      !call.dryRun &&
      call.channel !== 'replay' &&
      integrationError?.type !== 'IntegrationValidationError' &&
      !call.signal?.aborted
    ) {
      outcome.deadLetterId = await this.deadLetter(
        call,
        body,
        integrationError?.attempts ?? 1,
        call.idempotencyKey ?? integrationError?.idempotencyKey,
      );
    }
    return outcome;
  }

  /**
   * Replays a dead letter: decrypts its input and calls the operation again with the original
   * idempotency key (or one derived from the letter's id, the same on every replay), so an
   * upstream that honours keys applies the write once however often it is replayed.
   */
  async replay(id: string, requestId: string = randomUUID()): Promise<InvocationOutcome> {
    const { repositories, cipher } = this.deps;
    const letter = await repositories.deadLetters.get(id);
    if (!letter) throw notFound(`No dead letter ${id}`);
    if (letter.status === 'replayed') throw conflict(`Dead letter ${id} was already replayed`);
    const replayer = this.replayers.get(letter.integration);
    if (replayer) return replayer(letter);
    const input: unknown = JSON.parse(cipher.decrypt(letter.inputCiphertext, dlqAad(id)));
    const outcome = await this.invoke({
      integration: letter.integration,
      operation: letter.operation,
      input,
      requestId,
      channel: 'replay',
      idempotencyKey: letter.idempotencyKey ?? `dlq-${id}`,
    });
    if (outcome.ok) await repositories.deadLetters.markReplayed(id);
    else await repositories.deadLetters.markFailed(id, outcome.body);
    return outcome;
  }

  /**
   * Arguments a model produced from our provider-shaped tool definitions, put back in the
   * operation's shape: OpenAI strict mode's `null` for an omitted optional field is dropped,
   * Gemini's JSON text for an object is parsed. Only values validation would refuse change.
   */
  private agentArguments(definition: IntegrationDefinition, operation: string, input: unknown): unknown {
    if (input === null || typeof input !== 'object' || Array.isArray(input)) return input;
    const tool = this.catalog.toolOf(definition, operation);
    return tool ? normalizeToolArguments(input, tool.inputSchema) : input;
  }

  private audit(
    call: Invocation,
    op: AnyOperation<never>,
    durationMs: number,
    failed: boolean,
    error: IntegrationError | undefined,
  ): void {
    this.deps.audit
      .record({
        requestId: call.requestId,
        tokenId: call.principal?.id ?? null,
        integration: call.integration,
        operation: call.operation,
        outcome: failed ? (error?.outcome ?? 'error') : call.dryRun ? 'dry_run' : 'success',
        errorType: failed ? (error?.type ?? 'Error') : null,
        durationMs,
        inputRedacted: redactInput(call.input, op.input),
      })
      .catch((err: unknown) =>
        this.deps.log?.error({ err, requestId: call.requestId }, 'audit row not written'),
      );
  }

  /** Stores the failed write; `idempotencyKey` is the one its request carried (the caller's or the operation's own). */
  private async deadLetter(
    call: Invocation,
    error: unknown,
    attempts: number,
    idempotencyKey: string | undefined,
  ): Promise<string> {
    const id = randomUUID();
    await this.deps.repositories.deadLetters.add({
      id,
      integration: call.integration,
      operation: call.operation,
      inputCiphertext: this.deps.cipher.encrypt(JSON.stringify(call.input ?? null), dlqAad(id)),
      idempotencyKey: idempotencyKey ?? null,
      error,
      attempts,
      requestId: call.requestId,
    });
    this.deps.log?.warn(
      { integration: call.integration, operation: call.operation, deadLetterId: id, channel: call.channel },
      'write failed; dead-lettered',
    );
    return id;
  }
}
