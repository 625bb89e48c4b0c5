import type { RecordedRequest } from '../../types.js';

export interface Page<T> {
  items: T[];
  /** `Link` header value, absent when everything fits on one page. */
  link: string | undefined;
}

/** GitHub's defaults: 30 per page unless asked, at most 100. */
const DEFAULT_PER_PAGE = 30;
const MAX_PER_PAGE = 100;

/**
 * Cuts one page out of `items` by the request's `per_page` and `page`, and writes the `Link`
 * header GitHub would: `next` and `last` while there is more, `first` and `prev` after page 1,
 * each URL the request's own with only `page` changed (so Enterprise's `/api/v3` stays in it).
 */
export function pageOf<T>(items: readonly T[], request: RecordedRequest, origin: string): Page<T> {
  const perPage = clamp(numberParam(request, 'per_page') ?? DEFAULT_PER_PAGE, 1, MAX_PER_PAGE);
  const page = Math.max(1, numberParam(request, 'page') ?? 1);
  const last = Math.max(1, Math.ceil(items.length / perPage));
  const slice = items.slice((page - 1) * perPage, page * perPage);
  const url = (n: number) => {
    const query = new URLSearchParams(request.url.slice(request.path.length + 1));
    query.set('page', String(n));
    return `<${origin}${request.path}?${query}>`;
  };
  const rels: string[] = [];
  if (page > 1) rels.push(`${url(Math.min(page - 1, last))}; rel="prev"`);
  if (page < last) rels.push(`${url(page + 1)}; rel="next"`, `${url(last)}; rel="last"`);
  if (page > 1) rels.push(`${url(1)}; rel="first"`);
  return { items: slice, link: rels.length > 0 ? rels.join(', ') : undefined };
}

function numberParam(request: RecordedRequest, name: string): number | undefined {
  const raw = request.query[name];
  const text = Array.isArray(raw) ? raw[0] : raw;
  if (text === undefined || !/^\d+$/.test(text)) return undefined;
  return Number(text);
}

function clamp(n: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, n));
}
