import type { Params } from '@patchbay/core';
import { type SlackContext, type SlackOk, slackRead } from './web-api.js';

/** Slack: "we recommend no more than 200 results at a time" per page. */
const PAGE_SIZE = 200;
/**
 * Bounds one call's work. Slack may answer short (even empty) pages with a cursor when it
 * filters after paging (archived channels): without a bound a call could walk a huge workspace.
 * The caller continues from the `next_cursor` returned.
 */
const MAX_PAGES = 20;

export interface Collected<T> {
  items: T[];
  /** Where to continue; undefined when the list is done. */
  nextCursor: string | undefined;
}

/**
 * Follows Slack's cursor (`response_metadata.next_cursor`, `''` at the end) until `want` entries
 * are in hand or the list ends, asking each page for no more than are still wanted.
 */
export async function collectPages<T, Body extends object>(
  ctx: SlackContext,
  method: string,
  params: Params,
  pick: (body: Body & SlackOk) => T[] | undefined,
  want: number,
  cursor: string | undefined,
): Promise<Collected<T>> {
  const items: T[] = [];
  let next = cursor;
  for (let page = 0; page < MAX_PAGES; page++) {
    const body = await slackRead<Body>(ctx, method, {
      ...params,
      limit: Math.min(want - items.length, PAGE_SIZE),
      cursor: next,
    });
    items.push(...(pick(body) ?? []));
    next = body.response_metadata?.next_cursor || undefined;
    if (next === undefined || items.length >= want) break;
  }
  return { items, nextCursor: next };
}

/** Adds `next_cursor` only when there is more, so "absent" means "done". */
export function withCursor<T extends object>(
  result: T,
  next: string | undefined,
): T & { next_cursor?: string } {
  return next === undefined ? result : { ...result, next_cursor: next };
}
