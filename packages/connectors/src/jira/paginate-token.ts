/** One page of a `nextPageToken` endpoint (`/search/jql`). */
export interface TokenPage<T> {
  items: T[];
  /** The token of the next page; absent (or `isLast`) on the last page. */
  nextPageToken?: string | undefined;
  isLast?: boolean | undefined;
}

export interface TokenPaginationOptions<T> {
  /** Most items to collect. */
  limit: number;
  /** Most items to ask for per request (the endpoint's maximum). */
  pageSize: number;
  /** Continue a search a previous call stopped. */
  nextPageToken?: string | undefined;
  fetchPage(nextPageToken: string | undefined, maxResults: number): Promise<TokenPage<T>>;
}

export interface TokenPagination<T> {
  items: T[];
  /** Continues the search where the limit stopped it; `undefined` when every item was read. */
  nextPageToken: string | undefined;
}

/**
 * Collects items from a Jira endpoint paged by `nextPageToken` (the current JQL search). Each
 * request asks for at most what is still wanted, so the returned token continues exactly after
 * the last item collected.
 */
export async function collectTokenPages<T>(options: TokenPaginationOptions<T>): Promise<TokenPagination<T>> {
  const items: T[] = [];
  let token = options.nextPageToken;
  for (;;) {
    const wanted = options.limit - items.length;
    const page = await options.fetchPage(token, Math.min(options.pageSize, wanted));
    items.push(...page.items.slice(0, wanted));
    token = page.isLast === true ? undefined : page.nextPageToken || undefined;
    // A page larger than asked for would lose its tail to the limit: no token can resume there.
    if (page.items.length > wanted) return { items, nextPageToken: undefined };
    if (token === undefined || page.items.length === 0) return { items, nextPageToken: undefined };
    if (items.length >= options.limit) return { items, nextPageToken: token };
  }
}
