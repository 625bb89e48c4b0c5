import { z } from 'zod';
import { defineZendeskOperation } from '../define-zendesk-operation.js';
import { readWire } from '../read-wire.js';
import { Ticket, toTicket } from '../results.js';
import { CursorMeta, OffsetMeta, WireTicket } from '../wire.js';
import { zendeskRequest } from '../zendesk-errors.js';

const SearchInput = z
  .object({
    /** Zendesk search syntax; `type:ticket` is implied. @example 'status<solved tags:vip' */
    query: z.string().trim().min(1).max(1000),
    /**
     * `offset` pages with `page` through `/search` (at most 1000 results, with a total `count`);
     * `cursor` walks `/search/export` with `cursor`, without that limit.
     * @default 'offset'
     */
    paging: z.enum(['offset', 'cursor']).default('offset'),
    /** Offset paging: the page number. @default 1 */
    page: z.number().int().min(1).optional(),
    /** Cursor paging: `nextCursor` of the previous page. */
    cursor: z.string().min(1).max(512).optional(),
    /** @default 25 */
    perPage: z.number().int().min(1).max(100).default(25),
    /** Offset paging only; Zendesk's relevance order otherwise. */
    sortBy: z.enum(['created_at', 'updated_at']).optional(),
    /** @default 'desc' */
    sortOrder: z.enum(['asc', 'desc']).optional(),
  })
  .refine((i) => i.paging === 'cursor' || i.cursor === undefined, {
    message: 'cursor needs paging: cursor',
    path: ['cursor'],
  })
  .refine((i) => i.paging === 'offset' || (i.page === undefined && i.sortBy === undefined), {
    message: 'page and sortBy need paging: offset',
    path: ['paging'],
  });

const SearchResults = z.array(WireTicket.extend({ result_type: z.string().optional() }));

export const searchTickets = defineZendeskOperation({
  description: 'Search Zendesk tickets with Zendesk search syntax, by page or by cursor',
  input: SearchInput,
  output: z.object({
    tickets: z.array(Ticket),
    /** Total matches (offset paging). */
    count: z.number().int().nullable(),
    /** The next page number (offset paging), null on the last page. */
    nextPage: z.number().int().nullable(),
    /** The next cursor (cursor paging), null on the last page. */
    nextCursor: z.string().nullable(),
    hasMore: z.boolean(),
  }),
  kind: 'read',
  async run(ctx, input) {
    if (input.paging === 'cursor') {
      const params: Record<string, string | number> = {
        query: input.query,
        'filter[type]': 'ticket',
        'page[size]': input.perPage,
      };
      if (input.cursor !== undefined) params['page[after]'] = input.cursor;
      const body = await zendeskRequest(ctx.http.get('/api/v2/search/export', { params }));
      const page = readWire(CursorMeta.extend({ results: SearchResults }), body, ctx);
      return {
        tickets: page.results.map((t) => toTicket(t, ctx.config)),
        count: null,
        nextPage: null,
        nextCursor: page.meta.has_more ? page.meta.after_cursor : null,
        hasMore: page.meta.has_more,
      };
    }
    const query = /(^|\s)type:/i.test(input.query) ? input.query : `type:ticket ${input.query}`;
    const params: Record<string, string | number> = { query, page: input.page ?? 1, per_page: input.perPage };
    if (input.sortBy !== undefined) params.sort_by = input.sortBy;
    if (input.sortOrder !== undefined) params.sort_order = input.sortOrder;
    const body = await zendeskRequest(ctx.http.get('/api/v2/search', { params }));
    const page = readWire(OffsetMeta.extend({ results: SearchResults }), body, ctx);
    const nextPage =
      page.next_page === null ? null : Number(new URL(page.next_page).searchParams.get('page'));
    return {
      tickets: page.results
        .filter((t) => (t.result_type ?? 'ticket') === 'ticket')
        .map((t) => toTicket(t, ctx.config)),
      count: page.count ?? null,
      nextPage: Number.isInteger(nextPage) && nextPage !== null && nextPage > 0 ? nextPage : null,
      nextCursor: null,
      hasMore: page.next_page !== null,
    };
  },
});
