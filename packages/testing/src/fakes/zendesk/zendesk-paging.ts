/** A query value as the fake upstream records it. */
type Query = Record<string, string | string[]>;

/** The first value of a query parameter. */
export function queryValue(query: Query, name: string): string | undefined {
  const value = query[name];
  return Array.isArray(value) ? value[0] : value;
}

export type Paged<T> =
  | { ok: true; items: T[]; body: Record<string, unknown> }
  | { ok: false; description: string };

/**
 * Zendesk's cursor pagination (`page[size]`, `page[after]`): the answer carries
 * `meta: {has_more, after_cursor, before_cursor}` and `links: {next, prev}`. Cursors are opaque
 * to the client; here they encode the id of the item they follow.
 */
export function cursorPage<T extends { id: number }>(
  all: readonly T[],
  query: Query,
  linkFor: (params: Record<string, string>) => string,
  maxSize = 100,
): Paged<T> {
  const size = Number(queryValue(query, 'page[size]') ?? maxSize);
  if (!Number.isInteger(size) || size < 1 || size > maxSize) {
    return { ok: false, description: `page[size] must be an integer from 1 to ${maxSize}` };
  }
  const after = queryValue(query, 'page[after]');
  let start = 0;
  if (after !== undefined) {
    const id = decodeCursor(after);
    const index = id === undefined ? -1 : all.findIndex((item) => item.id === id);
    if (index < 0) return { ok: false, description: 'page[after] is not a valid cursor' };
    start = index + 1;
  }
  const items = all.slice(start, start + size);
  const hasMore = start + size < all.length;
  const last = items.at(-1);
  const first = items[0];
  const afterCursor = last ? encodeCursor(last.id) : null;
  const beforeCursor = first ? encodeCursor(first.id) : null;
  return {
    ok: true,
    items,
    body: {
      meta: { has_more: hasMore, after_cursor: afterCursor, before_cursor: beforeCursor },
      links: {
        next:
          hasMore && afterCursor ? linkFor({ 'page[size]': String(size), 'page[after]': afterCursor }) : null,
        prev:
          start > 0 && beforeCursor
            ? linkFor({ 'page[size]': String(size), 'page[before]': beforeCursor })
            : null,
      },
    },
  };
}

/**
 * Zendesk's offset pagination (`page`, `per_page`): `next_page` and `previous_page` are full
 * URLs (or null), `count` the total.
 */
export function offsetPage<T>(
  all: readonly T[],
  query: Query,
  linkFor: (params: Record<string, string>) => string,
  maxPerPage = 100,
): Paged<T> {
  const page = Number(queryValue(query, 'page') ?? 1);
  const perPage = Number(queryValue(query, 'per_page') ?? maxPerPage);
  if (!Number.isInteger(page) || page < 1)
    return { ok: false, description: 'page must be a positive integer' };
  if (!Number.isInteger(perPage) || perPage < 1 || perPage > maxPerPage) {
    return { ok: false, description: `per_page must be an integer from 1 to ${maxPerPage}` };
  }
  const start = (page - 1) * perPage;
  const items = all.slice(start, start + perPage);
  const link = (n: number) => linkFor({ page: String(n), per_page: String(perPage) });
  return {
    ok: true,
    items,
    body: {
      next_page: start + perPage < all.length ? link(page + 1) : null,
      previous_page: page > 1 ? link(page - 1) : null,
      count: all.length,
    },
  };
}

function encodeCursor(id: number): string {
  return Buffer.from(`zd:${id}`).toString('base64url');
}

function decodeCursor(cursor: string): number | undefined {
  const match = /^zd:(\d+)$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  return match ? Number(match[1]) : undefined;
}
