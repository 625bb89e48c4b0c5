// Hub overhead: one REST operation call through the real Patchbay hub (Fastify, bearer-token
// auth, scope check, integration client with default policies, audit log on) against a bare
// Fastify route doing the same upstream request with undici. Each server runs in its own child
// process (hub-server.ts, bare-server.ts; node with the tsx loader, as `npm start` runs the hub),
// both proxy `GET /small` of one loopback upstream child (~100 bytes of JSON), and the load
// generator runs here: the shared harness (undici.request, one keep-alive Agent per contender with
// the same settings, concurrency 32). The contenders are interleaved over rounds; the median round
// is reported, with the per-round ratio hub / bare.
//
// Knobs (env): BENCH_REQUESTS (per contender per round, default 10000), BENCH_WARMUP (1000),
// BENCH_ROUNDS (5), BENCH_CONCURRENCY (32), BENCH_SERVER_NODE_FLAGS (node flags for the server
// children, e.g. "--cpu-prof --cpu-prof-dir=.bench-results/prof"), BENCH_HUB_COMPARE (a path to
// another build's packages/hub/src/index.ts: a third contender, "hub (compare)", for A/B runs),
// BENCH_HUB_LOG_LEVEL (the hubs' log level, default warn; at info each call writes an access line).
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Agent, request } from 'undici';
import type { AuditWriterStats, ChainVerification } from '../packages/hub/src/index.ts';
import { envInt } from './lib/env.ts';
import {
  type Contender,
  type ContenderSummary,
  fmtInt,
  interleave,
  type LoadResult,
  median,
  pairedRatio,
} from './lib/harness.ts';
import type { BenchContext, BenchResult, Table } from './lib/report.ts';
import { type ServerProcess, serverCpuMicros, startServerProcess } from './lib/server-process.ts';
import { fmtRatio, throughputTable } from './lib/throughput-table.ts';
import { startUpstream } from './lib/upstream.ts';

const GOAL = 0.6;
const UPSTREAM_PATH = '/small';

/** The load generator's side: POST `url` with `{}` and parse the JSON answer. */
function poster(
  name: string,
  server: ServerProcess,
  path: string,
  dispatcher: Agent,
  token?: string,
): Contender {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (token) headers.authorization = `Bearer ${token}`;
  const url = server.origin + path;
  return {
    name,
    serverCpuMicros: () => serverCpuMicros(server),
    call: async () => {
      const { statusCode, body } = await request(url, { method: 'POST', headers, body: '{}', dispatcher });
      const parsed = await body.json();
      if (statusCode !== 200) throw new Error(`${name}: HTTP ${statusCode} ${JSON.stringify(parsed)}`);
      return parsed;
    },
  };
}

/** Server CPU time per request: each round's server CPU / requests, median over rounds. */
function serverCpuTable(summaries: ContenderSummary[], baseline: ContenderSummary): Table {
  const perRequest = (r: LoadResult) => (r.serverCpuMicros ?? Number.NaN) / r.requests;
  const medianOf = (s: ContenderSummary) => median(s.rounds.map(perRequest).sort((a, b) => a - b));
  return {
    title: 'Server process CPU per request (user + system, median over rounds)',
    columns: [
      { key: 'contender', label: 'contender' },
      { key: 'cpuUs', label: 'CPU µs/req', format: (v) => (typeof v === 'number' ? v.toFixed(0) : '') },
      { key: 'ratio', label: 'x bare', format: fmtRatio },
    ],
    rows: summaries.map((s) => ({
      contender: s.name,
      cpuUs: medianOf(s),
      ratio: pairedRatio(s, baseline, perRequest),
    })),
  };
}

/** One call per contender before measuring: it must answer with the upstream's JSON. */
async function check(c: Contender): Promise<void> {
  const body = (await c.call()) as { id?: unknown } | null;
  if (body?.id !== 42) {
    throw new Error(`${c.name}: unexpected result ${JSON.stringify(body)?.slice(0, 200)}`);
  }
}

async function configureHub(
  hub: ServerProcess,
  adminToken: string,
  upstreamOrigin: string,
  dispatcher: Agent,
) {
  const { statusCode, body } = await request(`${hub.origin}/api/integrations/bench/configure`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${adminToken}` },
    body: JSON.stringify({ values: { baseUrl: upstreamOrigin, token: 'bench-upstream-token' } }),
    dispatcher,
  });
  const configured = (await body.json()) as { configured?: boolean };
  if (statusCode !== 200 || configured.configured !== true) {
    throw new Error(`configure failed: HTTP ${statusCode} ${JSON.stringify(configured).slice(0, 300)}`);
  }
}

export async function run({ log }: BenchContext): Promise<BenchResult> {
  const config = {
    requests: envInt('BENCH_REQUESTS', 10_000),
    warmup: envInt('BENCH_WARMUP', 1_000),
    rounds: envInt('BENCH_ROUNDS', 5),
    concurrency: envInt('BENCH_CONCURRENCY', 32),
    serverNodeFlags: (process.env.BENCH_SERVER_NODE_FLAGS ?? '').split(/\s+/).filter(Boolean),
    hubCompare: process.env.BENCH_HUB_COMPARE || undefined,
    hubLogLevel: process.env.BENCH_HUB_LOG_LEVEL || 'warn',
  };
  const adminToken = randomBytes(16).toString('hex'); // 32 characters
  const dataDir = mkdtempSync(join(tmpdir(), 'patchbay-hub-bench-'));
  // One Agent per contender, the same settings: each keeps `concurrency` keep-alive connections.
  const newAgent = () => new Agent({ connections: config.concurrency });
  const agents = [newAgent(), newAgent(), newAgent()] as const;
  const [bareAgent, hubAgent, compareAgent] = agents;
  const closers: (() => Promise<void>)[] = [];
  try {
    const upstream = await startUpstream();
    closers.push(() => upstream.close());
    log(`upstream ${upstream.origin} (pid ${upstream.pid}); ${JSON.stringify(config)}`);

    const nodeFlags = config.serverNodeFlags;
    const bare = await startServerProcess(new URL('./bare-server.ts', import.meta.url), {
      nodeFlags,
      env: {
        BENCH_UPSTREAM_URL: upstream.origin + UPSTREAM_PATH,
        BENCH_CONCURRENCY: String(config.concurrency),
      },
    });
    closers.push(() => bare.close());
    const startHub = async (name: string, env: Record<string, string>, agent: Agent) => {
      const dir = join(dataDir, name);
      const hub = await startServerProcess(new URL('./hub-server.ts', import.meta.url), {
        nodeFlags,
        env: {
          BENCH_HUB_DATA_DIR: dir,
          PATCHBAY_ADMIN_TOKEN: adminToken,
          BENCH_HUB_LOG_LEVEL: config.hubLogLevel,
          ...env,
        },
      });
      closers.push(() => hub.close());
      await configureHub(hub, adminToken, upstream.origin, agent);
      return hub;
    };
    const hub = await startHub('hub', {}, hubAgent);
    const compare = config.hubCompare
      ? await startHub('compare', { BENCH_HUB_MODULE: config.hubCompare }, compareAgent)
      : undefined;
    log(
      `bare fastify ${bare.origin} (pid ${bare.pid}), patchbay hub ${hub.origin} (pid ${hub.pid})` +
        (compare ? `, hub (compare) ${compare.origin} (pid ${compare.pid}, ${config.hubCompare})` : ''),
    );

    const operationPath = '/api/integrations/bench/operations/small';
    const contenders = [
      poster('bare fastify', bare, '/call', bareAgent),
      poster('patchbay hub', hub, operationPath, hubAgent, adminToken),
      ...(compare ? [poster('hub (compare)', compare, operationPath, compareAgent, adminToken)] : []),
    ];
    for (const c of contenders) await check(c);

    const started = performance.now();
    const summaries = await interleave(contenders, { ...config, log });
    const seconds = (performance.now() - started) / 1000;
    const bareSummary = summaries[0]!;
    const hubSummary = summaries[1]!;
    const rpsRatio = pairedRatio(hubSummary, bareSummary, (r) => r.rps);

    // Every hub call records an audit row; flush and check they were all committed, in one chain.
    const { stats: audit, chain } = await hub.ask<{ stats: AuditWriterStats; chain: ChainVerification }>(
      'audit',
    );
    const hubCalls = 1 + config.rounds * (config.requests + config.warmup);
    const notes: string[] = [
      `Each contender: ${config.rounds} interleaved rounds of ${fmtInt(config.requests)} requests (after ${fmtInt(
        config.warmup,
      )} warm-up) at concurrency ${config.concurrency}; the median round (by req/s) is shown. "x bare" is the median`,
      `over rounds of (req/s / bare fastify's req/s in the same round). Measured phase: ${seconds.toFixed(1)} s.`,
      'Each server runs in its own child process (node --import tsx, as `npm start` runs the hub), as does the',
      'upstream; the load generator runs in this process, with one keep-alive Agent per contender (same settings).',
      'On a 2-core machine the load generator, the server under test and the upstream share the CPUs; compare',
      'ratios from the same run only. The CPU table counts what each server process itself spent per request',
      '(process.cpuUsage() around each measured run): other load on the machine blurs it far less than req/s.',
      '',
      `  bare fastify  Fastify({ logger: false }), POST /call -> undici.request(upstream ${UPSTREAM_PATH}, keep-alive`,
      `                Agent({ connections: ${config.concurrency} })) -> body.json()`,
      `  patchbay hub  createHub (SQLite in a tmp dir, log level ${config.hubLogLevel}, audit on), POST`,
      '                /api/integrations/bench/operations/small with the admin bearer token and {}: auth + scope,',
      "                default policies, ctx.http.get('/small') on the client's own keep-alive pool, an audit row",
      '                per call',
      ...(compare ? [`  hub (compare) the same, with the hub loaded from ${config.hubCompare}`] : []),
      '',
      `Audit: ${fmtInt(audit.written)} rows committed in ${fmtInt(audit.flushes)} flushes for ${fmtInt(hubCalls)} hub calls` +
        ` (failures ${audit.failures}, rejected ${audit.rejected}, queued ${audit.queued});` +
        ` hash chain ${chain.ok ? `verified over ${fmtInt(chain.rows)} rows` : `BROKEN: ${chain.message}`}.`,
    ];
    const errors = summaries.reduce((n, s) => n + s.rounds.reduce((m, r) => m + r.errors, 0), 0);
    for (const s of summaries) {
      const first = s.rounds.find((r) => r.firstError)?.firstError;
      if (first) notes.push(`${s.name}: failed requests; first: ${first}`);
    }
    const auditComplete = audit.written >= hubCalls && chain.ok;
    const pass = errors === 0 && auditComplete && rpsRatio >= GOAL;
    if (audit.written < hubCalls)
      notes.push(`audit: only ${audit.written} of ${hubCalls} calls have a committed row`);
    notes.push(
      `[${pass ? 'PASS' : 'FAIL'}] hub keeps at least ${GOAL}x of the bare route's throughput: ${rpsRatio.toFixed(2)}x` +
        (errors ? ` (${errors} failed requests)` : '') +
        (auditComplete ? '' : ' (audit incomplete)'),
    );

    return {
      title: `Hub REST operation call vs a bare Fastify route, both proxying GET ${UPSTREAM_PATH} (small JSON), concurrency ${config.concurrency}`,
      config,
      tables: [
        throughputTable(summaries, bareSummary, { rounds: config.rounds, baselineLabel: 'bare' }),
        serverCpuTable(summaries, bareSummary),
      ],
      notes,
      data: { contenders: summaries, rpsRatio, goal: GOAL, pass, audit, chain },
    };
  } finally {
    for (const close of closers.reverse()) await close().catch((err) => log(`close failed: ${String(err)}`));
    for (const agent of agents) await agent.close().catch(() => undefined);
    rmSync(dataDir, { recursive: true, force: true });
  }
}
