import { describe, expect, it } from 'vitest';
import { collectOffsetPages, type OffsetPage } from './paginate-offset.js';
import { collectTokenPages, type TokenPage } from './paginate-token.js';

const range = (from: number, count: number) => Array.from({ length: count }, (_, i) => from + i);

/** A scripted endpoint: answers each request with the next page and records what was asked. */
function scripted<P>(pages: P[]) {
  const asked: unknown[][] = [];
  return {
    asked,
    fetchPage: async (...args: unknown[]) => {
      asked.push(args);
      const page = pages.shift();
      if (!page) throw new Error('asked for more pages than the script has');
      return page;
    },
  };
}

describe('collectOffsetPages', () => {
  it('advances by what each page returned, even when Jira returns fewer than asked without being done', async () => {
    const endpoint = scripted<OffsetPage<number>>([
      { items: range(0, 30), total: 70 },
      { items: range(30, 40), total: 70 },
    ]);
    const result = await collectOffsetPages({ limit: 100, pageSize: 50, ...endpoint });
    expect(result).toEqual({ items: range(0, 70), total: 70, nextStartAt: undefined });
    expect(endpoint.asked).toEqual([
      [0, 50],
      [30, 50],
    ]);
  });

  it('stops at isLast, at an empty page, and at the limit mid-page (saying where to continue)', async () => {
    const last = scripted<OffsetPage<number>>([{ items: range(0, 5), isLast: true }]);
    expect(await collectOffsetPages({ limit: 10, pageSize: 10, ...last })).toMatchObject({
      items: range(0, 5),
      nextStartAt: undefined,
    });
    const bare = scripted<OffsetPage<number>>([{ items: range(0, 3) }, { items: [] }]);
    expect(await collectOffsetPages({ limit: 10, pageSize: 3, ...bare })).toMatchObject({
      items: range(0, 3),
      nextStartAt: undefined,
    });
    expect(bare.asked).toEqual([
      [0, 3],
      [3, 3],
    ]);
    const generous = scripted<OffsetPage<number>>([{ items: range(10, 8), total: 100 }]);
    expect(await collectOffsetPages({ limit: 5, startAt: 10, pageSize: 50, ...generous })).toEqual({
      items: range(10, 5),
      total: 100,
      nextStartAt: 15,
    });
  });

  it('keeps only matching items but advances past the others', async () => {
    const endpoint = scripted<OffsetPage<number>>([
      { items: range(0, 4) },
      { items: range(4, 4) },
      { items: [] },
    ]);
    const result = await collectOffsetPages({ limit: 3, pageSize: 4, keep: (n) => n % 2 === 0, ...endpoint });
    expect(result).toEqual({ items: [0, 2, 4], total: undefined, nextStartAt: 5 });
  });
});

describe('collectTokenPages', () => {
  it('asks for what is still wanted and returns the token that resumes after the last item', async () => {
    const endpoint = scripted<TokenPage<number>>([
      { items: range(0, 100), nextPageToken: 'a' },
      { items: range(100, 20), nextPageToken: 'b' },
    ]);
    expect(await collectTokenPages({ limit: 120, pageSize: 100, ...endpoint })).toEqual({
      items: range(0, 120),
      nextPageToken: 'b',
    });
    expect(endpoint.asked).toEqual([
      [undefined, 100],
      ['a', 20],
    ]);
  });

  it('ends at isLast, at a missing token, and at an empty page', async () => {
    for (const page of [
      { items: [1], nextPageToken: 'x', isLast: true },
      { items: [1] },
      { items: [], nextPageToken: 'loop' },
    ]) {
      const endpoint = scripted<TokenPage<number>>([page]);
      expect(
        (await collectTokenPages({ limit: 10, pageSize: 10, ...endpoint })).nextPageToken,
      ).toBeUndefined();
      expect(endpoint.asked).toHaveLength(1);
    }
  });

  it('gives no token when a page overshot the limit, since no token could resume inside it', async () => {
    const endpoint = scripted<TokenPage<number>>([{ items: range(0, 50), nextPageToken: 'after-50' }]);
    expect(await collectTokenPages({ limit: 10, pageSize: 10, nextPageToken: 'start', ...endpoint })).toEqual(
      {
        items: range(0, 10),
        nextPageToken: undefined,
      },
    );
    expect(endpoint.asked).toEqual([['start', 10]]);
  });
});
