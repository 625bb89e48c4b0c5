// Entry point of the child process that runs a memory phase (see runMemoryPhaseInChild): a fresh
// process holds only the client under test, so its RSS is not blurred by the other contenders'
// heaps. argv: <module URL> <factory export> <contender name> <origin> <options JSON>
import type { Contender } from './harness.ts';
import { type MemoryOptions, memoryPhase } from './memory.ts';

type Factory = (name: string, origin: string, concurrency: number) => Promise<Contender>;

const [moduleUrl, factoryName, name, origin, optionsJson] = process.argv.slice(2);
const send = (msg: unknown) => process.send?.(msg);
try {
  if (!moduleUrl || !factoryName || !name || !origin || !optionsJson) throw new Error('missing arguments');
  const options = JSON.parse(optionsJson) as Omit<MemoryOptions, 'log'>;
  const mod = (await import(moduleUrl)) as Record<string, unknown>;
  const factory = mod[factoryName] as Factory | undefined;
  if (typeof factory !== 'function') throw new Error(`${moduleUrl} does not export ${factoryName}()`);
  const contender = await factory(name, origin, options.concurrency);
  const result = await memoryPhase(contender.call, {
    ...options,
    log: (line) => send({ type: 'log', line }),
  });
  await contender.close?.();
  send({ type: 'result', result });
} catch (err) {
  send({ type: 'error', message: err instanceof Error ? (err.stack ?? err.message) : String(err) });
}
process.disconnect?.();
