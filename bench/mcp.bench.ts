// MCP tool-call latency versus the same operation through the REST route, same hub, same run.
// The hub (mcp-hub-server.ts) runs in its own child process with the MCP routes on; its integration
// `bench` proxies `GET /small` of the loopback upstream child (~100 bytes of JSON). Three
// contenders, interleaved over rounds at the same concurrency, the median round reported:
//   REST          undici.request POST /api/integrations/bench/operations/small (keep-alive Agent)
//   MCP (SDK)     the SDK's Client over StreamableHTTPClientTransport, one session, callTool('bench_small')
//                 (what an agent runs: JSON-RPC framing, an SSE response per call, and the client's
//                 check of structuredContent against the tool's output schema)
//   MCP (raw)     undici.request POST /mcp with a JSON-RPC tools/call and no session: the hub answers
//                 statelessly with plain JSON (the server side of MCP without the SDK client's cost)
//
// Two phases: throughput at BENCH_CONCURRENCY, then latency one call at a time (what a single agent
// sees, since an agent waits for each tool result before it goes on).
//
// Knobs (env): BENCH_REQUESTS (per contender per round, default 5000), BENCH_WARMUP (500),
// BENCH_ROUNDS (5), BENCH_CONCURRENCY (32), BENCH_LATENCY_REQUESTS (calls per contender per round at
// concurrency 1, default 1000), BENCH_SERVER_NODE_FLAGS (node flags for the hub child).
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { Agent, request } from 'undici';
import { envInt } from './lib/env.ts';
import { type Contender, fmtInt, interleave, pairedRatio } from './lib/harness.ts';
import type { BenchContext, BenchResult } from './lib/report.ts';
import { type ServerProcess, startServerProcess } from './lib/server-process.ts';
import { throughputTable } from './lib/throughput-table.ts';
import { startUpstream } from './lib/upstream.ts';

const TOOL = 'bench_small';

function restContender(hub: ServerProcess, token: string, dispatcher: Agent): Contender {
  const url = `${hub.origin}/api/integrations/bench/operations/small`;
  const headers = { 'content-type': 'application/json', authorization: `Bearer ${token}` };
  return {
    name: 'REST',
    call: async () => {
      const { statusCode, body } = await request(url, { method: 'POST', headers, body: '{}', dispatcher });
      const parsed = (await body.json()) as { id?: number };
      if (statusCode !== 200 || parsed.id !== 42)
        throw new Error(`REST: HTTP ${statusCode} ${JSON.stringify(parsed)}`);
      return parsed;
    },
  };
}

async function sdkContender(hub: ServerProcess, token: string): Promise<Contender & { client: Client }> {
  const client = new Client({ name: 'patchbay-bench', version: '1.0.0' });
  await client.connect(
    new StreamableHTTPClientTransport(new URL(`${hub.origin}/mcp`), {
      requestInit: { headers: { authorization: `Bearer ${token}` } },
    }),
  );
  // As an agent does: list first (the client then checks each result against the output schema).
  const { tools } = await client.listTools();
  if (!tools.some((t) => t.name === TOOL)) throw new Error(`MCP: no tool ${TOOL}`);
  return {
    name: 'MCP (SDK)',
    client,
    call: async () => {
      const result = await client.callTool({ name: TOOL, arguments: {} });
      const structured = result.structuredContent as { result?: { id?: number } } | undefined;
      if (result.isError || structured?.result?.id !== 42) {
        throw new Error(`MCP: ${JSON.stringify(result).slice(0, 300)}`);
      }
      return structured;
    },
    close: () => client.close(),
  };
}

function rawContender(hub: ServerProcess, token: string, dispatcher: Agent): Contender {
  const url = `${hub.origin}/mcp`;
  const headers = {
    'content-type': 'application/json',
    accept: 'application/json, text/event-stream',
    authorization: `Bearer ${token}`,
  };
  const body = JSON.stringify({
    jsonrpc: '2.0',
    id: 1,
    method: 'tools/call',
    params: { name: TOOL, arguments: {} },
  });
  return {
    name: 'MCP (raw)',
    call: async () => {
      const response = await request(url, { method: 'POST', headers, body, dispatcher });
      const parsed = (await response.body.json()) as {
        result?: { structuredContent?: { result?: { id?: number } } };
      };
      if (response.statusCode !== 200 || parsed.result?.structuredContent?.result?.id !== 42) {
        throw new Error(`MCP raw: HTTP ${response.statusCode} ${JSON.stringify(parsed).slice(0, 300)}`);
      }
      return parsed;
    },
  };
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
    requests: envInt('BENCH_REQUESTS', 5_000),
    warmup: envInt('BENCH_WARMUP', 500),
    rounds: envInt('BENCH_ROUNDS', 5),
    concurrency: envInt('BENCH_CONCURRENCY', 32),
    latencyRequests: envInt('BENCH_LATENCY_REQUESTS', 1_000),
    serverNodeFlags: (process.env.BENCH_SERVER_NODE_FLAGS ?? '').split(/\s+/).filter(Boolean),
  };
  const adminToken = randomBytes(16).toString('hex');
  const dataDir = mkdtempSync(join(tmpdir(), 'patchbay-mcp-bench-'));
  const restAgent = new Agent({ connections: config.concurrency });
  const rawAgent = new Agent({ connections: config.concurrency });
  const closers: (() => Promise<void>)[] = [];
  try {
    const upstream = await startUpstream();
    closers.push(() => upstream.close());
    const hub = await startServerProcess(new URL('./mcp-hub-server.ts', import.meta.url), {
      nodeFlags: config.serverNodeFlags,
      env: { BENCH_HUB_DATA_DIR: dataDir, PATCHBAY_ADMIN_TOKEN: adminToken },
    });
    closers.push(() => hub.close());
    await configureHub(hub, adminToken, upstream.origin, restAgent);
    log(`upstream ${upstream.origin}, hub ${hub.origin} (pid ${hub.pid}); ${JSON.stringify(config)}`);

    const sdk = await sdkContender(hub, adminToken);
    closers.push(async () => sdk.close?.());
    const contenders = [
      restContender(hub, adminToken, restAgent),
      sdk,
      rawContender(hub, adminToken, rawAgent),
    ];
    for (const c of contenders) await c.call();

    const started = performance.now();
    const summaries = await interleave(contenders, { ...config, log });
    log('latency, one call at a time:');
    const sequential = await interleave(contenders, {
      rounds: config.rounds,
      requests: config.latencyRequests,
      warmup: Math.min(config.warmup, config.latencyRequests),
      concurrency: 1,
      log,
    });
    const seconds = (performance.now() - started) / 1000;
    type Summary = (typeof summaries)[number];
    const ratio = (s: Summary, base: Summary, metric: 'rps' | 'p50Ms' | 'p99Ms') =>
      pairedRatio(s, base, (r) => r[metric]).toFixed(2);
    const line = (s: Summary, base: Summary) =>
      `${s.name} / REST: throughput ${ratio(s, base, 'rps')}x, p50 ${ratio(s, base, 'p50Ms')}x, p99 ${ratio(s, base, 'p99Ms')}x` +
      ` (p50 ${s.median.p50Ms.toFixed(2)} ms vs ${base.median.p50Ms.toFixed(2)} ms)`;
    const [rest, viaSdk, viaRaw] = summaries as [Summary, Summary, Summary];
    const [rest1, viaSdk1, viaRaw1] = sequential as [Summary, Summary, Summary];
    const errors = [...summaries, ...sequential].reduce(
      (n, s) => n + s.rounds.reduce((m, r) => m + r.errors, 0),
      0,
    );
    const notes = [
      `Each contender: ${config.rounds} interleaved rounds of ${fmtInt(config.requests)} calls (after ${fmtInt(
        config.warmup,
      )} warm-up) at concurrency ${config.concurrency}, then ${config.rounds} rounds of ${fmtInt(
        config.latencyRequests,
      )} calls one at a time; the median round (by calls/s) is shown.`,
      `"x REST" is the median over rounds of the ratio to REST in the same round. Measured: ${seconds.toFixed(1)} s.`,
      'The hub and the upstream run in child processes; the clients run in this process (on a 2-core machine',
      'they share the CPUs, so compare ratios from the same run only).',
      '',
      `At concurrency ${config.concurrency}:`,
      `  ${line(viaSdk, rest)}`,
      `  ${line(viaRaw, rest)}`,
      'One call at a time:',
      `  ${line(viaSdk1, rest1)}`,
      `  ${line(viaRaw1, rest1)}`,
      '',
      'The SDK client uses the global fetch (its keep-alive pool); REST and MCP (raw) one undici Agent each with',
      `${config.concurrency} connections.`,
    ];
    for (const s of [...summaries, ...sequential]) {
      const first = s.rounds.find((r) => r.firstError)?.firstError;
      if (first) notes.push(`${s.name}: failed calls; first: ${first}`);
    }
    return {
      title: `MCP tool call vs REST operation call, same hub and operation (GET /small upstream), concurrency ${config.concurrency}`,
      config,
      tables: [
        {
          ...throughputTable(summaries, rest, {
            rounds: config.rounds,
            baselineLabel: 'REST',
            latencyRatios: true,
          }),
          title: `Concurrency ${config.concurrency} (median round)`,
        },
        {
          ...throughputTable(sequential, rest1, {
            rounds: config.rounds,
            baselineLabel: 'REST',
            latencyRatios: true,
          }),
          title: 'One call at a time (median round)',
        },
      ],
      notes,
      data: { contenders: summaries, sequential },
      ...(errors > 0 ? { incomplete: `${errors} calls failed` } : {}),
    };
  } finally {
    for (const close of closers.reverse()) await close().catch((err) => log(`close failed: ${String(err)}`));
    await restAgent.close().catch(() => undefined);
    await rawAgent.close().catch(() => undefined);
    rmSync(dataDir, { recursive: true, force: true });
  }
}
