// A second "hub process" for the multi-process audit test: appends rows to a SQLite file through
// an AuditWriter, then exits. Run with `node --import tsx audit-append.child.ts <dataDir> <rows> <tag>`.
import { AuditWriter } from './audit-writer.js';
import { openDatabase } from './database.js';
import { createRepositories } from './repositories.js';

const [dataDir, rows, tag] = process.argv.slice(2);
const hub = await openDatabase({ dataDir: dataDir ?? '' });
const writer = new AuditWriter(createRepositories(hub).audit, { maxBatch: 10, flushIntervalMs: 1 });
const acks: Promise<void>[] = [];
for (let i = 0; i < Number(rows); i++) {
  acks.push(writer.record({ integration: 'x', operation: `${tag}`, outcome: 'ok', durationMs: i }));
  if (i % 10 === 9) await new Promise((resolve) => setImmediate(resolve)); // interleave with the other process
}
await Promise.all(acks);
await writer.close();
await hub.close();
