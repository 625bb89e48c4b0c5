import type { OperationContext, Params } from '@patchbay/core';
import type { GitHubConfig } from './config.js';
import { parseLinkHeader, relativeToBase } from './link-header.js';

export interface PageWalk<T> {
  /** The first page's path, relative to the base URL. */
  path: string;
  /** Query of the first page; later pages take their whole query from the `Link` URL. */
  params?: Params;
  /** Stop once this many items are collected. */
  limit: number;
  /** The items of one page's body. @default the body itself, as an array */
  itemsOf?: (body: unknown) => T[];
}

export interface Walked<T> {
  items: T[];
  /** More items exist than were collected (the limit or `maxPages` stopped the walk). */
  hasMore: boolean;
  /** The first page's body, for endpoints whose pages are objects (search, a commit's files). */
  first: unknown;
  /** Requests made. */
  pages: number;
}

/**
 * Follows GitHub's `Link: <…>; rel="next"` from page to page, asking `per_page` of
 * `min(limit, config.perPage)`, until there is no next page, `limit` items are collected, or
 * `config.maxPages` pages were read. Each next page is requested at the link's path and query
 * relative to the configured base URL (see {@link relativeToBase}).
 */
export async function walkPages<T>(
  ctx: OperationContext<GitHubConfig>,
  walk: PageWalk<T>,
): Promise<Walked<T>> {
  const itemsOf = walk.itemsOf ?? ((body: unknown) => (Array.isArray(body) ? (body as T[]) : []));
  const items: T[] = [];
  let target = walk.path;
  let params: Params | undefined = { ...walk.params, per_page: Math.min(walk.limit, ctx.config.perPage) };
  let first: unknown;
  for (let pages = 1; ; pages++) {
    const response = await ctx.http.request('GET', target, params ? { params } : {});
    if (pages === 1) first = response.body;
    const pageItems = itemsOf(response.body);
    const room = walk.limit - items.length;
    items.push(...pageItems.slice(0, room));
    const next = parseLinkHeader(response.headers.link).get('next');
    if (pageItems.length > room) return { items, hasMore: true, first, pages };
    if (next === undefined) return { items, hasMore: false, first, pages };
    if (items.length >= walk.limit || pages >= ctx.config.maxPages)
      return { items, hasMore: true, first, pages };
    target = relativeToBase(next, ctx.config.baseUrl);
    params = undefined;
  }
}
