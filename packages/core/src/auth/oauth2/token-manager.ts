import { IntegrationTemporaryError, isIntegrationError } from '../../errors/integration-error.js';
import type { Clock } from '../../policies/clock.js';
import type { Redactor } from '../../redact/redactor.js';
import type { StateStore, Versioned } from '../../state/state-store.js';
import type { SecretSet } from './secret-set.js';
import type { TokenResult } from './token-endpoint.js';
import { terminalError } from './token-errors.js';
import {
  type CredentialHealth,
  isFresh,
  isOwn,
  isTerminal,
  isUsable,
  parseRecord,
  recordFromToken,
  serializeRecord,
  type TerminalHealth,
  type TokenRecord,
} from './token-record.js';

/** First and longest pause between two looks at the store while another process refreshes. */
const FIRST_POLL_MS = 20;
const MAX_POLL_MS = 250;
/** Compare-and-set conflicts tolerated in one refresh before giving up (the record kept moving). */
const MAX_CONFLICTS = 3;

/** One grant type: how to ask the token endpoint, and which credential it was configured with. */
export interface Grant {
  /** Fingerprint of the configured credential (client secret, or initial refresh token). */
  readonly credential: string;
  /** Refresh-token grant: the configured refresh token, used when the store holds no newer one. */
  readonly initialRefreshToken: string | undefined;
  request(refreshToken: string | undefined): Promise<TokenResult>;
}

export interface TokenManagerOptions {
  grant: Grant;
  store: StateStore;
  /** The record's key; the refresh lock is `${key}:lock`. */
  key: string;
  clock: Clock;
  refreshSkewMs: number;
  /** How long a refresher holds the lock; past it another process may take over. */
  lockTtlMs: number;
  /** How long to wait for another process's refresh before failing (temporary). */
  waitTimeoutMs: number;
  /** After a failed refresh that left a usable token, how long to keep using it before asking again. */
  degradedRetryMs: number;
  secrets: SecretSet;
  redactor: Redactor;
  onRotate: ((refreshToken: string) => void | Promise<void>) | undefined;
}

type Verdict = 'use' | 'refresh' | 'terminal';

/**
 * Keeps one credential's access token: cached until shortly before expiry, refreshed by one
 * caller at a time (a shared promise in the process, a store lock across processes), saved
 * with compare-and-set so a slow refresher never overwrites a newer token, and retired for
 * good when the token endpoint says the credential is dead.
 */
export class TokenManager {
  private current: TokenRecord | undefined;
  private terminal: { health: TerminalHealth; code: string; at: number } | undefined;
  private flight: Promise<TokenRecord> | undefined;
  /** The last token an upstream answered 401 to: never handed out again. */
  private rejected: string | undefined;
  private rotateFailed = false;

  constructor(private readonly o: TokenManagerOptions) {}

  /** The token to send now, when the local copy will do; `undefined` means call {@link obtain}. */
  cached(): TokenRecord | undefined {
    if (this.terminal) return undefined;
    return this.judge(this.current) === 'use' ? this.current : undefined;
  }

  /**
   * A usable token, refreshing if need be. `rejected` is a token an upstream just refused: the
   * result is never it. Concurrent callers share one refresh.
   */
  async obtain(rejected?: string): Promise<TokenRecord> {
    if (rejected !== undefined) this.rejected = rejected;
    // Two rounds: a refresh already in flight may have judged before this rejection was known.
    for (let round = 0; ; round++) {
      if (this.terminal) throw terminalError(this.terminal.health, this.terminal.code, this.terminal.at);
      this.flight ??= this.run().finally(() => {
        this.flight = undefined;
      });
      const record = await this.flight;
      if (rejected === undefined || record.accessToken !== rejected || round > 0) return record;
    }
  }

  health(): CredentialHealth {
    return this.terminal?.health ?? this.current?.health ?? 'healthy';
  }

  /** What a status page shows: health, expiry, the last token endpoint failure. */
  status(): { health: CredentialHealth; expiresAt?: number; error?: { code: string; at: number } } {
    const out: ReturnType<TokenManager['status']> = { health: this.health() };
    const error = this.terminal ?? this.current?.error;
    if (error) out.error = { code: error.code, at: error.at };
    if (this.current?.expiresAt !== undefined && !this.terminal) out.expiresAt = this.current.expiresAt;
    if (this.rotateFailed && !out.error) out.error = { code: 'on_rotate_failed', at: this.o.clock.wallNow() };
    return out;
  }

  private judge(record: TokenRecord | undefined): Verdict {
    if (!record) return 'refresh';
    if (isTerminal(record.health)) return isOwn(record, this.o.grant.credential) ? 'terminal' : 'refresh';
    const now = this.o.clock.wallNow();
    if (isFresh(record, now, this.o.refreshSkewMs, this.rejected)) return 'use';
    // Degraded: the last refresh failed but the token still works; keep it until retryAt.
    if (isUsable(record, now, this.rejected) && (record.retryAt ?? 0) > now) return 'use';
    return 'refresh';
  }

  private async run(): Promise<TokenRecord> {
    const { store, clock } = this.o;
    const lockKey = `${this.o.key}:lock`;
    const deadline = clock.now() + this.o.waitTimeoutMs;
    let pause = FIRST_POLL_MS;
    let lock: string | undefined;
    let conflicts = 0;
    try {
      for (;;) {
        const stored = await store.getVersioned(this.o.key);
        const record = parseRecord(stored?.value);
        const verdict = this.judge(record);
        if (verdict === 'use') return this.adopt(record as TokenRecord);
        if (verdict === 'terminal') throw this.retire(record as TokenRecord);
        if (lock === undefined) {
          lock = await store.acquireLock(lockKey, this.o.lockTtlMs);
          // Got it: look again, since the previous holder may have saved a token just now.
          if (lock !== undefined) continue;
          if (clock.now() >= deadline) throw this.waitedTooLong();
          await clock.sleep(pause * (0.5 + Math.random() / 2));
          pause = Math.min(pause * 2, MAX_POLL_MS);
          continue;
        }
        const refreshed = await this.refresh(stored, record);
        if (refreshed) return this.adopt(refreshed);
        if (++conflicts > MAX_CONFLICTS) throw this.waitedTooLong();
      }
    } catch (error) {
      if (isIntegrationError(error)) throw error;
      const message = this.o.redactor.truncated(String((error as Error)?.message ?? error), 200);
      throw new IntegrationTemporaryError(`OAuth2 token store (${store.kind}) failed: ${message}`, {
        operation: 'oauth2_token',
        requestSent: false,
      });
    } finally {
      if (lock !== undefined) await store.releaseLock(lockKey, lock).catch(() => {});
    }
  }

  /**
   * Asks the token endpoint, holding the lock, and saves the answer. Returns the record to use,
   * or `undefined` when the stored record changed meanwhile and should be judged again.
   */
  private async refresh(stored: Versioned | undefined, record: TokenRecord | undefined) {
    const { grant, clock } = this.o;
    const own = record !== undefined && isOwn(record, grant.credential);
    // The store's refresh token is newer than the configured one once the chain has rotated.
    const refreshToken =
      grant.initialRefreshToken === undefined
        ? undefined
        : (own && record.refreshToken) || grant.initialRefreshToken;
    const result = await grant.request(refreshToken);
    const at = clock.wallNow();
    const version = stored?.version ?? null;

    if (result.ok) {
      const { record: next, rotated } = recordFromToken(result.token, {
        known: own ? record.known : [grant.credential],
        refreshTokenUsed: refreshToken,
        at,
      });
      this.announce(next);
      const saved = await this.save(next, version);
      if (saved === next && rotated) await this.rotate(next.refreshToken as string);
      return saved;
    }

    const { failure } = result;
    const error = { code: failure.code, at };
    if (failure.health) {
      // Another configuration's token works and ours is dead: leave theirs, retire only this instance.
      if (record && !own && !isTerminal(record.health)) {
        this.terminal = { health: failure.health, ...error };
        throw failure.error;
      }
      const mark: TokenRecord = {
        health: failure.health,
        error,
        known: own ? record.known : [grant.credential],
      };
      const cas = await this.o.store.compareAndSet(this.o.key, serializeRecord(mark), version);
      // Lost: someone saved a newer record (a newer refresh token?) while we asked. Judge it.
      if (!cas.ok) return undefined;
      this.current = mark;
      this.terminal = { health: failure.health, ...error };
      throw failure.error;
    }

    // A failure that may pass: keep a token that still works for a while, else fail this call.
    // Another configuration's terminal mark is replaced by ours, not relabelled as theirs.
    const base = record && (own || !isTerminal(record.health)) ? record : { known: [grant.credential] };
    const degraded: TokenRecord = { ...base, health: 'degraded', error };
    const keep = isUsable(record, at, this.rejected);
    if (keep) degraded.retryAt = at + this.o.degradedRetryMs;
    // Best effort: a newer record wins over this note.
    await this.o.store.compareAndSet(this.o.key, serializeRecord(degraded), version);
    this.current = degraded;
    if (keep) return degraded;
    throw failure.error;
  }

  /**
   * Saves a fresh token with compare-and-set. When a newer usable token was saved meanwhile
   * (we were the slow refresher), that one is adopted and ours dropped. A newer record with no
   * usable token (a terminal mark from a refresher that used a stale refresh token) loses to ours.
   */
  private async save(next: TokenRecord, version: number | null): Promise<TokenRecord> {
    let expected = version;
    for (let attempt = 0; attempt < MAX_CONFLICTS; attempt++) {
      const cas = await this.o.store.compareAndSet(this.o.key, serializeRecord(next), expected);
      if (cas.ok) return next;
      const newer = parseRecord(cas.current?.value);
      if (isUsable(newer, this.o.clock.wallNow(), this.rejected)) return newer as TokenRecord;
      expected = cas.current?.version ?? null;
    }
    return next;
  }

  private adopt(record: TokenRecord): TokenRecord {
    this.announce(record);
    this.current = record;
    return record;
  }

  private announce(record: TokenRecord): void {
    if (record.refreshToken) this.o.secrets.addLasting(record.refreshToken);
    if (record.accessToken) this.o.secrets.addAccessToken(record.accessToken);
  }

  private retire(record: TokenRecord) {
    const health = record.health as TerminalHealth;
    this.current = record;
    this.terminal = { health, code: record.error?.code ?? 'unknown', at: record.error?.at ?? 0 };
    return terminalError(health, this.terminal.code, this.terminal.at);
  }

  private async rotate(refreshToken: string): Promise<void> {
    if (!this.o.onRotate) return;
    try {
      await this.o.onRotate(refreshToken);
      this.rotateFailed = false;
    } catch {
      // The chain lives on in the store; status() says the copy elsewhere is behind.
      this.rotateFailed = true;
    }
  }

  private waitedTooLong(): IntegrationTemporaryError {
    return new IntegrationTemporaryError(
      `OAuth2 token refresh by another caller did not finish within ${this.o.waitTimeoutMs} ms`,
      { operation: 'oauth2_token', requestSent: false, code: 'DEADLINE_EXCEEDED' },
    );
  }
}
