// Hub overhead: one REST operation call through the real Patchbay hub (in-process: Fastify,
// bearer-token auth, scope check, integration client with default policies, audit log on)
// against a bare Fastify route doing the same upstream request with undici. Both proxy
// `GET /small` of the loopback upstream (a child process returning ~100 bytes of JSON); the load
// generator is the shared harness (undici.request, keep-alive Agent, concurrency 32), the two
// contenders are interleaved over rounds and the median round is reported, with the per-round
// ratio hub / bare.
//
// Knobs (env): BENCH_REQUESTS (per contender per round, default 10000), BENCH_WARMUP (1000),
// BENCH_ROUNDS (3), BENCH_CONCURRENCY (32).
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defineIntegration, defineOperation, secret } from '@patchbay/core';
import Fastify, { type FastifyInstance } from 'fastify';
import { Agent, request } from 'undici';
import { z } from 'zod';
import { createHub, type Hub, loadHubConfig } from '../packages/hub/src/index.ts';
import { envInt } from './lib/env.ts';
import { type Contender, fmtInt, interleave, pairedRatio } from './lib/harness.ts';
import type { BenchContext, BenchResult } from './lib/report.ts';
import { throughputTable } from './lib/throughput-table.ts';
import { startUpstream } from './lib/upstream.ts';

const GOAL = 0.6;
const UPSTREAM_PATH = '/small';

const benchIntegration = defineIntegration({
  name: 'bench',
  description: 'Loopback upstream for the hub bench',
  config: z.object({ baseUrl: z.string().url(), token: secret() }),
  operations: {
    small: defineOperation({
      description: 'GET /small from the bench upstream',
      kind: 'read',
      input: z.object({}),
      run: (ctx) => ctx.http.get(UPSTREAM_PATH),
    }),
  },
});

/** The load generator's side: POST `url` with `{}` and parse the JSON answer. */
function poster(name: string, url: string, dispatcher: Agent, token?: string): Contender {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (token) headers.authorization = `Bearer ${token}`;
  return {
    name,
    call: async () => {
      const { statusCode, body } = await request(url, { method: 'POST', headers, body: '{}', dispatcher });
      const parsed = await body.json();
      if (statusCode !== 200) throw new Error(`${name}: HTTP ${statusCode} ${JSON.stringify(parsed)}`);
      return parsed;
    },
  };
}

async function startBare(upstreamOrigin: string, concurrency: number) {
  const upstreamAgent = new Agent({ connections: concurrency });
  const app: FastifyInstance = Fastify({ logger: false });
  const url = upstreamOrigin + UPSTREAM_PATH;
  app.post('/call', async () => {
    const { body } = await request(url, { dispatcher: upstreamAgent });
    return body.json();
  });
  const base = await app.listen({ host: '127.0.0.1', port: 0 });
  return {
    base,
    close: async () => {
      await app.close();
      await upstreamAgent.close();
    },
  };
}

async function startPatchbayHub(dataDir: string, adminToken: string): Promise<{ hub: Hub; base: string }> {
  const config = await loadHubConfig({
    cwd: dataDir,
    env: {
      PATCHBAY_DATA_DIR: dataDir,
      PATCHBAY_ADMIN_TOKEN: adminToken,
      PATCHBAY_MASTER_KEY: randomBytes(32).toString('base64'),
      PORT: '0',
      PATCHBAY_LOG_LEVEL: 'warn',
    },
  });
  const hub = await createHub({
    config,
    integrations: [benchIntegration],
    egress: { allow: ['127.0.0.1'] },
  });
  try {
    return { hub, base: await hub.start() };
  } catch (err) {
    await hub.close().catch(() => undefined);
    throw err;
  }
}

/** One call per contender before measuring: it must answer with the upstream's JSON. */
async function check(c: Contender): Promise<void> {
  const body = (await c.call()) as { id?: unknown } | null;
  if (body?.id !== 42) {
    throw new Error(`${c.name}: unexpected result ${JSON.stringify(body)?.slice(0, 200)}`);
  }
}

export async function run({ log }: BenchContext): Promise<BenchResult> {
  const config = {
    requests: envInt('BENCH_REQUESTS', 10_000),
    warmup: envInt('BENCH_WARMUP', 1_000),
    rounds: envInt('BENCH_ROUNDS', 3),
    concurrency: envInt('BENCH_CONCURRENCY', 32),
  };
  const adminToken = randomBytes(16).toString('hex'); // 32 characters
  const dataDir = mkdtempSync(join(tmpdir(), 'patchbay-hub-bench-'));
  const loadAgent = new Agent({ connections: config.concurrency });
  const closers: (() => Promise<void>)[] = [];
  try {
    const upstream = await startUpstream();
    closers.push(() => upstream.close());
    log(`upstream ${upstream.origin} (pid ${upstream.pid}); ${JSON.stringify(config)}`);

    const bare = await startBare(upstream.origin, config.concurrency);
    closers.push(bare.close);
    const { hub, base } = await startPatchbayHub(dataDir, adminToken);
    closers.push(() => hub.close());

    const { statusCode, body } = await request(`${base}/api/integrations/bench/configure`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${adminToken}` },
      body: JSON.stringify({ values: { baseUrl: upstream.origin, token: 'bench-upstream-token' } }),
      dispatcher: loadAgent,
    });
    const configured = (await body.json()) as { configured?: boolean };
    if (statusCode !== 200 || configured.configured !== true) {
      throw new Error(`configure failed: HTTP ${statusCode} ${JSON.stringify(configured).slice(0, 300)}`);
    }
    log(`bare fastify ${bare.base}, patchbay hub ${base}`);

    const contenders = [
      poster('bare fastify', `${bare.base}/call`, loadAgent),
      poster('patchbay hub', `${base}/api/integrations/bench/operations/small`, loadAgent, adminToken),
    ];
    for (const c of contenders) await check(c);

    const started = performance.now();
    const summaries = await interleave(contenders, { ...config, log });
    const seconds = (performance.now() - started) / 1000;
    const bareSummary = summaries[0]!;
    const hubSummary = summaries[1]!;
    const rpsRatio = pairedRatio(hubSummary, bareSummary, (r) => r.rps);

    // Every hub call records an audit row; flush and check they were all committed.
    await hub.audit.flush();
    const audit = hub.audit.stats;
    const hubCalls = 1 + config.rounds * (config.requests + config.warmup);
    const notes: string[] = [
      `Each contender: ${config.rounds} interleaved rounds of ${fmtInt(config.requests)} requests (after ${fmtInt(
        config.warmup,
      )} warm-up) at concurrency ${config.concurrency}; the median round (by req/s) is shown. "x bare" is the median`,
      `over rounds of (req/s / bare fastify's req/s in the same round). Measured phase: ${seconds.toFixed(1)} s.`,
      'Both servers run in this process (sharing its event loop with the load generator); the upstream is a',
      'child process. On a 2-core machine all of it shares the CPUs; compare ratios from the same run only.',
      '',
      `  bare fastify  Fastify({ logger: false }), POST /call -> undici.request(upstream ${UPSTREAM_PATH}, keep-alive`,
      `                Agent({ connections: ${config.concurrency} })) -> body.json()`,
      '  patchbay hub  createHub (SQLite in a tmp dir, log level warn, audit on), POST',
      '                /api/integrations/bench/operations/small with the admin bearer token and {}: auth + scope,',
      "                default policies, ctx.http.get('/small'), an audit row per call",
      '',
      `Audit: ${fmtInt(audit.written)} rows committed in ${fmtInt(audit.flushes)} flushes for ${fmtInt(hubCalls)} hub calls` +
        ` (failures ${audit.failures}, rejected ${audit.rejected}, queued ${audit.queued}).`,
    ];
    const errors = summaries.reduce((n, s) => n + s.rounds.reduce((m, r) => m + r.errors, 0), 0);
    for (const s of summaries) {
      const first = s.rounds.find((r) => r.firstError)?.firstError;
      if (first) notes.push(`${s.name}: failed requests; first: ${first}`);
    }
    const pass = errors === 0 && rpsRatio >= GOAL;
    if (audit.written < hubCalls)
      notes.push(`audit: only ${audit.written} of ${hubCalls} calls have a committed row`);
    notes.push(
      `[${pass ? 'PASS' : 'FAIL'}] hub keeps at least ${GOAL}x of the bare route's throughput: ${rpsRatio.toFixed(2)}x` +
        (errors ? ` (${errors} failed requests)` : ''),
    );

    return {
      title: `Hub REST operation call vs a bare Fastify route, both proxying GET ${UPSTREAM_PATH} (small JSON), concurrency ${config.concurrency}`,
      config,
      tables: [throughputTable(summaries, bareSummary, { rounds: config.rounds, baselineLabel: 'bare' })],
      notes,
      data: { contenders: summaries, rpsRatio, goal: GOAL, pass, audit },
    };
  } finally {
    for (const close of closers.reverse()) await close().catch((err) => log(`close failed: ${String(err)}`));
    await loadAgent.close().catch(() => undefined);
    rmSync(dataDir, { recursive: true, force: true });
  }
}
