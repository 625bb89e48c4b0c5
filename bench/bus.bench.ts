// Bus throughput end to end: an agent-side client publishes seed 002 commands
// (`{tool_name, parameters, task_id, step_id}`, persistent, confirmed) to the commands exchange and
// waits for each command's `_completed` event on the events exchange; a call's latency is
// publish-to-event. Contenders, each on exchanges and a queue of its own:
//   echo      one bare amqplib process doing only the wire work (consume, publish the event on a
//             confirm channel, ack): the broker's floor for this protocol
//   hub x1    one real hub process (bench/bus-hub.ts): validation, tool lookup, claim and outcome
//             in the kv table, the operation through the invoker (GET /small on the loopback
//             upstream, an audit row), the event confirmed, then the ack
//   hub x2    two such processes sharing the queue (competing consumers) and one SQLite file
// interleaved over rounds (median round shown), with RabbitMQ on this machine.
//
// Knobs (env): BENCH_REQUESTS (per contender per round, default 3000), BENCH_WARMUP (300),
// BENCH_ROUNDS (3), BENCH_CONCURRENCY (commands in flight, 32), BENCH_BUS_PREFETCH (per process,
// 16), AMQP_URL (amqp://guest:guest@127.0.0.1:5672).
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isReachable } from '@patchbay/testing';
import { BusLoadClient, benchTopology } from './lib/bus-client.ts';
import { type BusProcess, startBusProcess } from './lib/bus-process.ts';
import { envInt } from './lib/env.ts';
import { type Contender, fmtInt, interleave, pairedRatio } from './lib/harness.ts';
import type { BenchContext, BenchResult } from './lib/report.ts';
import { throughputTable } from './lib/throughput-table.ts';
import { startUpstream } from './lib/upstream.ts';

const HUB = new URL('./bus-hub.ts', import.meta.url);
const ECHO = new URL('./bus-echo.ts', import.meta.url);

export async function run({ log }: BenchContext): Promise<BenchResult> {
  const config = {
    requests: envInt('BENCH_REQUESTS', 3_000),
    warmup: envInt('BENCH_WARMUP', 300),
    rounds: envInt('BENCH_ROUNDS', 3),
    concurrency: envInt('BENCH_CONCURRENCY', 32),
    prefetch: envInt('BENCH_BUS_PREFETCH', 16),
  };
  const url = process.env.AMQP_URL || 'amqp://guest:guest@127.0.0.1:5672';
  const title = `Bus commands end to end (publish -> _completed event), concurrency ${config.concurrency}`;
  if (!(await isReachable(url))) {
    return {
      title,
      config,
      tables: [],
      notes: ['RabbitMQ is not reachable: set AMQP_URL or start rabbitmq-server.'],
      incomplete: `RabbitMQ unreachable (${new URL(url).host})`,
    };
  }

  // Consumers stop first (a queue deleted under a hub would be declared again), then the clients
  // delete their exchanges and queues, then the upstream goes.
  const processes: BusProcess[] = [];
  const clients: BusLoadClient[] = [];
  const closers: (() => Promise<void>)[] = [];
  const dirs: string[] = [];
  try {
    const upstream = await startUpstream();
    closers.push(() => upstream.close());
    log(`upstream ${upstream.origin} (pid ${upstream.pid}); ${JSON.stringify(config)}`);

    const contender = async (
      name: string,
      label: string,
      start: (env: Record<string, string>) => Promise<void>,
    ) => {
      const topology = benchTopology(label);
      const env = {
        AMQP_URL: url,
        BENCH_BUS_TOPOLOGY: JSON.stringify(topology),
        BENCH_BUS_PREFETCH: String(config.prefetch),
      };
      await start(env);
      const client = await BusLoadClient.open(url, topology);
      clients.push(client);
      return { name, call: client.call } satisfies Contender;
    };
    const spawn = async (file: URL, env: Record<string, string>): Promise<BusProcess> => {
      const child = await startBusProcess(file, env);
      processes.push(child);
      return child;
    };
    const hubs = async (count: number, env: Record<string, string>) => {
      const dataDir = mkdtempSync(join(tmpdir(), 'patchbay-bus-bench-'));
      dirs.push(dataDir);
      const hubEnv = {
        ...env,
        PATCHBAY_DATA_DIR: dataDir,
        PATCHBAY_MASTER_KEY: randomBytes(32).toString('base64'),
        PATCHBAY_ADMIN_TOKEN: randomBytes(16).toString('hex'),
        PATCHBAY_LOG_LEVEL: 'warn',
        PORT: '0',
        DATABASE_URL: '',
        REDIS_URL: '',
        BENCH_API_URL: upstream.origin,
        BENCH_TOKEN: 'bench-upstream-token',
      };
      // One after the other: the first migrates the shared SQLite file.
      for (let i = 0; i < count; i++) {
        const child = await spawn(HUB, hubEnv);
        log(`  hub process ${i + 1}/${count} (pid ${child.pid}) consuming`);
      }
    };

    const contenders = [
      await contender('echo (no hub)', 'echo', async (env) => {
        const child = await spawn(ECHO, env);
        log(`  echo process (pid ${child.pid}) consuming`);
      }),
      await contender('hub x1', 'hub1', (env) => hubs(1, env)),
      await contender('hub x2', 'hub2', (env) => hubs(2, env)),
    ];
    for (const c of contenders) await c.call(); // each answers before measuring

    const started = performance.now();
    const summaries = await interleave(contenders, { ...config, log });
    const seconds = (performance.now() - started) / 1000;
    const [echo, one, two] = summaries as [
      (typeof summaries)[0],
      (typeof summaries)[0],
      (typeof summaries)[0],
    ];
    const scaling = pairedRatio(two, one, (r) => r.rps);
    const errors = summaries.reduce((n, s) => n + s.rounds.reduce((m, r) => m + r.errors, 0), 0);

    const notes = [
      `Each contender: ${config.rounds} interleaved rounds of ${fmtInt(config.requests)} commands (after ${fmtInt(
        config.warmup,
      )} warm-up) with ${config.concurrency} in flight; the median round (by commands/s) is shown. "x echo" is the`,
      `median over rounds of (commands/s / echo's commands/s in the same round). Measured phase: ${seconds.toFixed(1)} s.`,
      `Prefetch ${config.prefetch} per consuming process. Commands and events are persistent, published on confirm`,
      'channels; the command queue is a quorum queue (the bus declares one; echo declares the same kind).',
      '',
      '  echo      bare amqplib: consume, publish a _completed event (confirmed), ack; nothing else',
      '  hub x1    bench/bus-hub.ts: the real hub with its bus (SQLite in a tmp dir, audit on, log level warn);',
      '            per command: validation, tool lookup, kv claim + outcome, GET /small upstream, event, ack',
      '  hub x2    two hub processes on one queue (competing consumers) and one SQLite file',
      '',
      `hub x2 / hub x1 (paired by round): ${scaling.toFixed(2)}x.`,
      "The broker, the upstream, the load client and the consumers share this machine's CPUs; on 2 cores",
      'the second hub process competes with RabbitMQ itself, so compare ratios from the same run only.',
    ];
    for (const s of summaries) {
      const first = s.rounds.find((r) => r.firstError)?.firstError;
      if (first) notes.push(`${s.name}: failed commands; first: ${first}`);
    }
    return {
      title,
      config,
      tables: [
        {
          ...throughputTable(summaries, echo, { rounds: config.rounds, baselineLabel: 'echo' }),
          title: 'Commands per second, publish to event (median round)',
        },
      ],
      notes,
      data: { contenders: summaries, scaling },
      ...(errors > 0 ? { incomplete: `${errors} commands failed` } : {}),
    };
  } finally {
    const report = (err: unknown) => log(`close failed: ${String(err)}`);
    await Promise.all(processes.map((child) => child.close().catch(report)));
    for (const client of clients) await client.dispose().catch(report);
    for (const close of closers.reverse()) await close().catch(report);
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  }
}
