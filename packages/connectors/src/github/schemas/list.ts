import { z } from 'zod';

/** A list operation's result: the items, and whether a larger `limit` would have found more. */
export function listOf<Item extends z.ZodType>(item: Item) {
  return z.object({
    items: z.array(item),
    has_more: z.boolean().describe('True when more items exist than the limit (or the page cap) let through'),
  });
}
