import type { Logger } from '@patchbay/core';

export interface LeaseWorkerOptions<T> {
  /** Names the worker in logs. */
  name: string;
  /** Claims up to `limit` due rows under a lease (an atomic UPDATE; see the repositories). */
  claim: (limit: number) => Promise<T[]>;
  /** Handles one claimed row; it must finish the row itself (done, retry later or dead). */
  handle: (row: T) => Promise<unknown>;
  /** Rows claimed at once. @default 32 */
  batchSize?: number;
  /** How long an idle worker waits before looking again (rows stored by another process). @default 250 */
  pollMs?: number;
  log?: Logger | undefined;
}

/**
 * A loop that claims due rows and handles them, batch by batch, until stopped. It looks again at
 * once after a full batch, after `pollMs` when idle, or as soon as `wake()` is called (a row was
 * stored by this process). Safe to run in several processes on one database: the claim is atomic
 * and a lease that runs out (its holder died) makes the row claimable again.
 */
export class LeaseWorker<T> {
  private running = false;
  private loop: Promise<void> | undefined;
  private wakeUp: (() => void) | undefined;
  private woken = false;
  private readonly batchSize: number;
  private readonly pollMs: number;

  constructor(private readonly options: LeaseWorkerOptions<T>) {
    this.batchSize = options.batchSize ?? 32;
    this.pollMs = options.pollMs ?? 250;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.run();
  }

  /** Looks for rows now instead of at the next poll. */
  wake(): void {
    this.woken = true;
    this.wakeUp?.();
  }

  /** Stops claiming and waits for the batch in hand to finish (its rows are finished, not abandoned). */
  async stop(): Promise<void> {
    this.running = false;
    this.wakeUp?.();
    await this.loop;
  }

  private async run(): Promise<void> {
    while (this.running) {
      let claimed = 0;
      try {
        this.woken = false;
        const rows = await this.options.claim(this.batchSize);
        claimed = rows.length;
        await Promise.all(
          rows.map((row) =>
            this.options.handle(row).catch((error: unknown) => {
              // The row keeps its lease and is claimed again once it runs out.
              this.options.log?.error(
                { worker: this.options.name, err: error },
                'webhook worker: row not finished',
              );
            }),
          ),
        );
      } catch (error) {
        this.options.log?.error({ worker: this.options.name, err: error }, 'webhook worker: claim failed');
      }
      if (!this.running) break;
      if (claimed < this.batchSize && !this.woken) await this.idle();
    }
  }

  private idle(): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.wakeUp = undefined;
        resolve();
      };
      const timer = setTimeout(done, this.pollMs);
      this.wakeUp = done;
    });
  }
}
