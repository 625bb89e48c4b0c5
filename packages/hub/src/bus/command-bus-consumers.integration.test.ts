// Two hub processes share the command queue as competing consumers (and one SQLite file, as two
// processes on one host would): every command runs once, duplicates included.
import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { type FakeUpstream, reply, requireService, startFakeUpstream } from '@patchbay/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  command,
  type HubFixture,
  startHubFixture,
  TestBroker,
  testBusOptions,
  uniqueTopology,
} from './bus.harness.js';
import { type CommandBus, startCommandBus } from './command-bus.js';

const amqp = await requireService('amqp');
const url = amqp.available ? amqp.url : '';
const SECOND_HUB = fileURLToPath(new URL('./fixtures/bus-hub-process.ts', import.meta.url));

/** Starts the second hub process; resolves once its bus consumes. */
function startSecondHub(env: Record<string, string>): Promise<{ child: ChildProcess; output: () => string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', SECOND_HUB], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    out += chunk.toString();
  });
  return new Promise((resolve, reject) => {
    const timer = setInterval(() => {
      if (out.includes('READY')) {
        clearInterval(timer);
        resolve({ child, output: () => out });
      }
    }, 20);
    child.once('exit', (code) => {
      clearInterval(timer);
      reject(new Error(`second hub exited early (${code}): ${out}`));
    });
  });
}

/** SIGTERM, then the `HANDLED <n>` line it prints after a graceful close. */
async function stopSecondHub(second: { child: ChildProcess; output: () => string }): Promise<number> {
  const exited = new Promise<number | null>((resolve) => second.child.once('exit', resolve));
  second.child.kill('SIGTERM');
  expect(await exited).toBe(0);
  return Number(/HANDLED (\d+)/.exec(second.output())?.[1] ?? Number.NaN);
}

describe.skipIf(!amqp.available)('two hub processes on one command queue (RabbitMQ)', () => {
  let up: FakeUpstream;
  let fixture: HubFixture;
  const topology = uniqueTopology();
  let broker: TestBroker;

  beforeAll(async () => {
    up = await startFakeUpstream();
    fixture = await startHubFixture({ upstreamUrl: up.url, token: 'token-first-hub' });
    broker = await TestBroker.open(url, topology);
  });
  afterAll(async () => {
    await broker?.dispose();
    await fixture?.close();
    await up?.close();
  });

  it('each command runs once, duplicates published at the same time included, and both hubs share the work', async () => {
    // A little upstream latency so that both consumers hold commands at once.
    up.on('GET', '/items/:id', (req) => ({ delayMs: 15, ...reply.json(200, { id: req.params.id }) }));
    const first: CommandBus = await startCommandBus(
      testBusOptions(fixture.hub, url, topology, { prefetch: 4 }),
    );
    let second: Awaited<ReturnType<typeof startSecondHub>> | undefined;
    try {
      second = await startSecondHub({
        ...fixture.env,
        SHOP_TOKEN: 'token-second-hub',
        AMQP_URL: url,
        BUS_TOPOLOGY: JSON.stringify(topology),
        BUS_PREFETCH: '4',
      });
      expect(await broker.consumers(topology.queue)).toBe(2);

      const task = `consumers-${Date.now()}`;
      const steps = Array.from({ length: 40 }, (_, i) => `s${i}`);
      for (const step of steps) {
        const sent = command(task, step, 'shop_get_item', { id: step });
        await broker.publish(sent);
        // Every fourth command is sent twice in a row: the two copies usually land on different hubs.
        if (Number(step.slice(1)) % 4 === 0) await broker.publish(sent);
      }
      const published = steps.length + steps.length / 4;
      const events = await broker.waitForEvents(published, 30_000);

      expect(events.every((e) => e.event.status === 'completed')).toBe(true);
      for (const step of steps) {
        const mine = broker.eventsOf(task, step);
        expect(mine.length, step).toBeGreaterThanOrEqual(1);
        for (const e of mine) expect(e.event).toEqual(mine[0]?.event);
        expect(up.requestsTo('GET', `/items/${step}`), step).toHaveLength(1);
      }
      const byHub = (token: string) =>
        up.requests.filter((r) => r.headers.authorization === `Bearer ${token}`);
      expect(byHub('token-first-hub').length).toBeGreaterThan(0);
      expect(byHub('token-second-hub').length).toBeGreaterThan(0);
      expect(up.requests).toHaveLength(steps.length);

      await first.close();
      const handledBySecond = await stopSecondHub(second);
      second = undefined;
      expect(first.status().handled + handledBySecond).toBe(published);
      expect(await broker.depth(topology.queue)).toBe(0);
    } finally {
      await first.close();
      second?.child.kill('SIGKILL');
    }
  });
});
