// Summarises a V8 .cpuprofile (from `node --cpu-prof`): self time by package/file and by
// function, and inclusive time of the functions under a path filter.
//   npx tsx bench/tools/cpuprofile-summary.ts <file.cpuprofile> [--top 25] [--focus packages/core]
// To profile a bench: BENCH_NODE_FLAGS="--cpu-prof --cpu-prof-dir=.bench-results/prof" npm run bench -- client
// (the memory phase's child process inherits the flags, so it yields a profile of one client alone).
import { readFileSync } from 'node:fs';

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
  columnNumber: number;
}
interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

const args = process.argv.slice(2);
const file = args.find((a) => !a.startsWith('--') && !/^\d+$/.test(a));
const flag = (name: string) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const top = Number(flag('--top') ?? 25);
const focus = flag('--focus') ?? 'packages/core';
if (!file) {
  console.error('usage: cpuprofile-summary <file.cpuprofile> [--top N] [--focus path-fragment]');
  process.exit(2);
}

const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const parent = new Map<number, number>();
for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);

function place(url: string): string {
  if (!url) return '(native/vm)';
  const path = url.replace(/^file:\/\//, '');
  const nm = path.lastIndexOf('node_modules/');
  if (nm >= 0) {
    const rest = path.slice(nm + 'node_modules/'.length).split('/');
    return `npm:${rest[0]!.startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0]}`;
  }
  if (path.startsWith('node:')) return path;
  const repo = path.indexOf('/packages/');
  if (repo >= 0) return path.slice(repo + 1);
  const bench = path.indexOf('/bench/');
  if (bench >= 0) return path.slice(bench + 1);
  return path;
}
const fnKey = (f: CallFrame) => `${f.functionName || '(anonymous)'}  ${place(f.url)}:${f.lineNumber + 1}`;

const self = new Map<string, number>();
const selfByPlace = new Map<string, number>();
const inclusive = new Map<string, number>();
let total = 0;
let idle = 0;
for (let i = 0; i < profile.samples.length; i++) {
  const dt = profile.timeDeltas[i] ?? 0;
  const node = byId.get(profile.samples[i]!)!;
  total += dt;
  const name = node.callFrame.functionName;
  if (name === '(idle)') idle += dt;
  const key = name.startsWith('(') ? name : fnKey(node.callFrame);
  self.set(key, (self.get(key) ?? 0) + dt);
  const where = name.startsWith('(') ? name : place(node.callFrame.url);
  selfByPlace.set(where, (selfByPlace.get(where) ?? 0) + dt);
  const seen = new Set<string>();
  for (let id: number | undefined = node.id; id !== undefined; id = parent.get(id)) {
    const f = byId.get(id)!.callFrame;
    if (!f.url.includes(focus)) continue;
    const k = fnKey(f);
    if (seen.has(k)) continue;
    seen.add(k);
    inclusive.set(k, (inclusive.get(k) ?? 0) + dt);
  }
}

const busy = total - idle;
const pct = (us: number) => `${((us / busy) * 100).toFixed(1).padStart(5)}%`;
const ms = (us: number) => `${(us / 1000).toFixed(0).padStart(7)} ms`;
const show = (title: string, m: Map<string, number>, n: number) => {
  console.log(`\n${title}`);
  for (const [k, v] of [...m].sort((a, b) => b[1] - a[1]).slice(0, n))
    console.log(`${ms(v)} ${pct(v)}  ${k}`);
};
console.log(
  `${file}: ${(total / 1e6).toFixed(1)} s sampled, ${(idle / 1e6).toFixed(1)} s idle; % of non-idle time`,
);
show('Self time by place', selfByPlace, top);
show('Self time by function', self, top);
show(`Inclusive time, functions under "${focus}"`, inclusive, top);
