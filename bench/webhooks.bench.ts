// Webhook receiving: verified and stored deliveries per second, on SQLite and on PostgreSQL, next to
// a bare Fastify route that only answers 200, in the same run. Each server is a child process
// (webhooks-server.ts, webhooks-bare-server.ts); the load generator here POSTs a GitHub delivery
// (~1 KB JSON, X-Hub-Signature-256 over it, a fresh X-GitHub-Delivery per request, so every one is
// verified, deduplicated and stored before its 200) with the shared harness (undici.request,
// keep-alive Agent per contender, interleaved rounds, median round reported). The hub's processing
// worker runs meanwhile, as in production; the note says how many were processed by the end.
//
// Knobs (env): BENCH_REQUESTS (per contender per round, default 5000), BENCH_WARMUP (500),
// BENCH_ROUNDS (3), BENCH_CONCURRENCY (32). PostgreSQL from DATABASE_URL (or the loopback
// default); without it that contender is left out and the run is marked incomplete.
import { createHmac, randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isReachable, serviceUrl } from '@patchbay/testing';
import pg from 'pg';
import { Agent, request } from 'undici';
import { envInt } from './lib/env.ts';
import { type Contender, fmtInt, interleave, pairedRatio } from './lib/harness.ts';
import type { BenchContext, BenchResult } from './lib/report.ts';
import { type ServerProcess, serverCpuMicros, startServerProcess } from './lib/server-process.ts';
import { fmtRatio, throughputTable } from './lib/throughput-table.ts';

const SECRET = randomBytes(16).toString('hex');
const BODY = JSON.stringify({
  action: 'opened',
  number: 42,
  pull_request: { title: 'Bench delivery', body: 'x'.repeat(700), user: { login: 'octocat' } },
  repository: { full_name: 'octo/bench' },
});
const SIGNATURE = `sha256=${createHmac('sha256', SECRET).update(BODY).digest('hex')}`;

function poster(name: string, server: ServerProcess, path: string, dispatcher: Agent): Contender {
  const url = server.origin + path;
  const run = randomUUID();
  let n = 0;
  return {
    name,
    serverCpuMicros: () => serverCpuMicros(server),
    call: async () => {
      const { statusCode, body } = await request(url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-github-event': 'pull_request',
          'x-github-delivery': `${run}-${n++}`,
          'x-hub-signature-256': SIGNATURE,
        },
        body: BODY,
        dispatcher,
      });
      const parsed = (await body.json()) as { received?: boolean };
      if (statusCode !== 200 || parsed.received !== true) {
        throw new Error(`${name}: HTTP ${statusCode} ${JSON.stringify(parsed).slice(0, 200)}`);
      }
      return parsed;
    },
  };
}

export async function run({ log }: BenchContext): Promise<BenchResult> {
  const config = {
    requests: envInt('BENCH_REQUESTS', 5_000),
    warmup: envInt('BENCH_WARMUP', 500),
    rounds: envInt('BENCH_ROUNDS', 3),
    concurrency: envInt('BENCH_CONCURRENCY', 32),
  };
  const dataDir = mkdtempSync(join(tmpdir(), 'patchbay-webhooks-bench-'));
  const pgUrl = serviceUrl('postgres');
  const pgSchema = `bench_webhooks_${randomBytes(4).toString('hex')}`;
  const havePg = await isReachable(pgUrl);
  const agents: Agent[] = [];
  const servers: ServerProcess[] = [];
  const agent = () => {
    const a = new Agent({ connections: config.concurrency });
    agents.push(a);
    return a;
  };
  const start = async (file: string, env: Record<string, string>) => {
    const server = await startServerProcess(new URL(file, import.meta.url), { env });
    servers.push(server);
    return server;
  };
  try {
    const bare = await start('./webhooks-bare-server.ts', {});
    const sqlite = await start('./webhooks-server.ts', {
      BENCH_GITHUB_SECRET: SECRET,
      BENCH_DATA_DIR: dataDir,
    });
    const postgres = havePg
      ? await start('./webhooks-server.ts', {
          BENCH_GITHUB_SECRET: SECRET,
          BENCH_DATABASE_URL: pgUrl,
          BENCH_PG_SCHEMA: pgSchema,
        })
      : undefined;
    log(
      `bare ${bare.origin}, sqlite ${sqlite.origin}${postgres ? `, postgres ${postgres.origin}` : ''}; ${JSON.stringify(config)}`,
    );
    const receiver = '/api/integrations/webhook/github';
    const contenders = [
      poster('bare fastify (200 only)', bare, '/hook', agent()),
      poster('webhooks, SQLite', sqlite, receiver, agent()),
      ...(postgres ? [poster('webhooks, PostgreSQL', postgres, receiver, agent())] : []),
    ];
    for (const c of contenders) await c.call();
    const summaries = await interleave(contenders, { ...config, log });
    const baseline = summaries[0]!;
    const sent = 1 + config.rounds * (config.requests + config.warmup);
    const counts = async (server: ServerProcess) =>
      server.ask<{ stored: number; processed: number }>('counts');
    // The worker finishes the backlog after the load; give it a moment before counting.
    await new Promise((resolve) => setTimeout(resolve, 3000));
    const sqliteCounts = await counts(sqlite);
    const pgCounts = postgres ? await counts(postgres) : undefined;
    const notes = [
      `Each contender: ${config.rounds} interleaved rounds of ${fmtInt(config.requests)} requests (after ${fmtInt(config.warmup)}`,
      `warm-up) at concurrency ${config.concurrency}; median round shown. A webhook 200 means: source found,`,
      'X-Hub-Signature-256 verified over the raw bytes (constant time), delivery id deduplicated, row committed.',
      'Servers are child processes (node --import tsx); on a 2-core machine they share the CPUs with the load',
      'generator (and PostgreSQL), so compare ratios from the same run only.',
      `Stored after the run: SQLite ${fmtInt(sqliteCounts.stored)} of ${fmtInt(sent)} sent (${fmtInt(sqliteCounts.processed)} processed 3 s later)` +
        (pgCounts
          ? `; PostgreSQL ${fmtInt(pgCounts.stored)} of ${fmtInt(sent)} (${fmtInt(pgCounts.processed)} processed).`
          : '.'),
      ...summaries.map(
        (s) => `${s.name}: ${fmtRatio(pairedRatio(s, baseline, (r) => r.rps))} of the bare route's req/s`,
      ),
    ];
    const errors = summaries.reduce((n, s) => n + s.rounds.reduce((m, r) => m + r.errors, 0), 0);
    return {
      title: `Verified and stored webhook deliveries per second vs a bare Fastify 200, concurrency ${config.concurrency}`,
      config,
      tables: [throughputTable(summaries, baseline, { rounds: config.rounds, baselineLabel: 'bare' })],
      notes,
      data: { contenders: summaries, sqliteCounts, pgCounts, errors },
      ...(havePg ? {} : { incomplete: `PostgreSQL unreachable at ${pgUrl}: its contender was not measured` }),
      ...(errors > 0 ? { incomplete: `${errors} failed requests` } : {}),
    };
  } finally {
    for (const server of servers.reverse()) await server.close().catch(() => undefined);
    for (const a of agents) await a.close().catch(() => undefined);
    rmSync(dataDir, { recursive: true, force: true });
    if (havePg) {
      const client = new pg.Client({ connectionString: pgUrl });
      await client.connect();
      await client.query(`drop schema if exists "${pgSchema}" cascade`).finally(() => client.end());
    }
  }
}
