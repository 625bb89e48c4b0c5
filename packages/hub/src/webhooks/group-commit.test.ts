import { describe, expect, it } from 'vitest';
import { GroupCommit } from './group-commit.js';

describe('GroupCommit', () => {
  it('writes what arrives together in one batch, and answers each caller with its own result', async () => {
    const batches: number[][] = [];
    const commit = new GroupCommit<number, string>(
      async (items) => {
        batches.push(items);
        return items.map((n) => `row-${n}`);
      },
      async (n) => `single-${n}`,
    );
    const first = await Promise.all([commit.write(1), commit.write(2), commit.write(3)]);
    expect(first).toEqual(['row-1', 'row-2', 'row-3']);
    expect(batches).toEqual([[1, 2, 3]]);
    expect(await commit.write(4)).toBe('row-4');
    expect(batches).toEqual([[1, 2, 3], [4]]);
  });

  it('queues what arrives during a write for the next batch, bounded by maxBatch', async () => {
    const batches: number[][] = [];
    let release!: () => void;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const commit = new GroupCommit<number, number>(
      async (items) => {
        batches.push(items);
        if (batches.length === 1) await gate;
        return items;
      },
      async (n) => n,
      2,
    );
    const a = commit.write(1);
    await new Promise((resolve) => setImmediate(resolve));
    const rest = [commit.write(2), commit.write(3), commit.write(4)];
    release();
    expect(await Promise.all([a, ...rest])).toEqual([1, 2, 3, 4]);
    expect(batches).toEqual([[1], [2, 3], [4]]);
  });

  it('retries a failed batch item by item, so one bad item fails alone', async () => {
    const commit = new GroupCommit<number, number>(
      async () => {
        throw new Error('constraint');
      },
      async (n) => {
        if (n === 2) throw new Error(`bad ${n}`);
        return n * 10;
      },
    );
    const results = await Promise.allSettled([commit.write(1), commit.write(2), commit.write(3)]);
    expect(results).toEqual([
      { status: 'fulfilled', value: 10 },
      { status: 'rejected', reason: new Error('bad 2') },
      { status: 'fulfilled', value: 30 },
    ]);
  });
});
