/** One page of a `startAt` / `maxResults` endpoint, as read from its body. */
export interface OffsetPage<T> {
  items: T[];
  /** How many items the whole result has, when the endpoint says (`total`). */
  total?: number;
  /** Whether this is the last page, when the endpoint says (`isLast`). */
  isLast?: boolean;
}

export interface OffsetPaginationOptions<T> {
  /** Most items to collect. */
  limit: number;
  /** Where to start. @default 0 */
  startAt?: number;
  /** Most items to ask for per request (the endpoint's maximum). */
  pageSize: number;
  fetchPage(startAt: number, maxResults: number): Promise<OffsetPage<T>>;
  /** Keeps only matching items; pages still advance by what the endpoint returned. */
  keep?: (item: T) => boolean;
}

export interface OffsetPagination<T> {
  items: T[];
  /** The endpoint's `total`, when it gave one. */
  total: number | undefined;
  /** Where to continue when the limit stopped us before the end; `undefined` when all were read. */
  nextStartAt: number | undefined;
}

/**
 * Collects items from a Jira endpoint paged by `startAt` / `maxResults` (project search,
 * comments, users). It advances by what each page returned (Jira may return fewer than asked
 * without being done) and stops at the limit, at `isLast`, at `total`, or at an empty page
 * (the only end signal of endpoints that return a bare array).
 * @example
 * const { items } = await collectOffsetPages({
 *   limit: 200, pageSize: 50,
 *   fetchPage: async (startAt, maxResults) => projectPage(await http.get('/rest/api/3/project/search', { params: { startAt, maxResults } })),
 * });
 */
export async function collectOffsetPages<T>(
  options: OffsetPaginationOptions<T>,
): Promise<OffsetPagination<T>> {
  const items: T[] = [];
  let startAt = options.startAt ?? 0;
  let total: number | undefined;
  for (;;) {
    const wanted = options.limit - items.length;
    const page = await options.fetchPage(startAt, Math.min(options.pageSize, wanted));
    total = page.total ?? total;
    let consumed = 0;
    for (const item of page.items) {
      if (items.length === options.limit) break;
      consumed++;
      if (!options.keep || options.keep(item)) items.push(item);
    }
    startAt += consumed;
    const exhausted =
      page.items.length === 0 || page.isLast === true || (total !== undefined && startAt >= total);
    if (exhausted && consumed === page.items.length) return { items, total, nextStartAt: undefined };
    if (items.length === options.limit) return { items, total, nextStartAt: startAt };
  }
}
