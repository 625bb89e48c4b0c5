/**
 * The targets of a `Link` header (RFC 8288) by relation, e.g. GitHub's
 * `<https://api.github.com/repositories/1/issues?page=2>; rel="next", <…?page=5>; rel="last"`.
 * A header repeated on several lines may arrive as an array. Malformed parts are skipped.
 */
export function parseLinkHeader(value: string | string[] | undefined): Map<string, string> {
  const links = new Map<string, string>();
  const text = Array.isArray(value) ? value.join(', ') : value;
  if (!text) return links;
  // `<url>` then parameters up to the next `<`: a comma inside the URL cannot split a link.
  for (const match of text.matchAll(/<([^>]*)>([^<]*)/g)) {
    const rel = /;\s*rel\s*=\s*(?:"([^"]*)"|([^\s;,]+))/i.exec(match[2] ?? '');
    const names = rel?.[1] ?? rel?.[2];
    if (!names) continue;
    for (const name of names.trim().split(/\s+/)) {
      if (!links.has(name.toLowerCase())) links.set(name.toLowerCase(), match[1] ?? '');
    }
  }
  return links;
}

/**
 * A next-page URL from `Link`, as a path and query relative to `baseUrl`, for the client to
 * resolve against the base it already has. The link's own origin is ignored on purpose: a proxy
 * or an Enterprise server may name itself differently, and the token must only ever go to the
 * configured base. Enterprise's `/api/v3` is taken off the front, since the client adds it back.
 * @example
 * relativeToBase('https://ghe.example/api/v3/repos/a/b/issues?page=2', 'https://ghe.example/api/v3')
 * // '/repos/a/b/issues?page=2'
 */
export function relativeToBase(link: string, baseUrl: string): string {
  const base = new URL(baseUrl);
  const target = new URL(link, base);
  const basePath = base.pathname.replace(/\/+$/, '');
  let path = target.pathname;
  if (basePath !== '' && (path === basePath || path.startsWith(`${basePath}/`))) {
    path = path.slice(basePath.length) || '/';
  }
  return path + target.search;
}
