import type { Params } from './types.js';

export interface ParsedBase {
  origin: string;
  /** Base path without trailing slash, `''` for the root. */
  basePath: string;
}

/** Splits a base URL once, at client creation, so each request is plain string work. */
export function parseBaseUrl(baseUrl: string): ParsedBase {
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    // Not quoted: a URL in the wrong field may be a secret (a webhook URL with its token).
    throw new TypeError('baseUrl is not a valid absolute URL (expected http(s)://host[:port][/path])');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new TypeError(`baseUrl must use http or https, got ${url.protocol}`);
  }
  if (url.username || url.password) {
    throw new TypeError('baseUrl must not carry credentials: pass them through `auth`');
  }
  return { origin: url.origin, basePath: url.pathname.replace(/\/+$/, '') };
}

/** Appends query parameters to a path that may already have a query. */
export function appendParams(path: string, params: Params | undefined): string {
  if (!params) return path;
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) {
    if (Array.isArray(value)) {
      for (const item of value) if (item !== undefined && item !== null) search.append(name, String(item));
    } else if (value !== undefined && value !== null) {
      search.append(name, String(value));
    }
  }
  const query = search.toString();
  if (!query) return path;
  return path + (path.includes('?') ? '&' : '?') + query;
}

/**
 * Resolves a request target against the base. A relative path joins the base path; an
 * absolute URL is allowed only on the base's origin, so a path from user input cannot send
 * the client's credentials elsewhere.
 */
export function resolveTarget(base: ParsedBase, target: string): { origin: string; path: string } {
  if (/^[a-z][a-z0-9+.-]*:/i.test(target)) {
    const url = new URL(target);
    if (url.origin !== base.origin) {
      throw new TypeError(`absolute URL ${url.origin} is not on this client's origin ${base.origin}`);
    }
    return { origin: base.origin, path: url.pathname + url.search };
  }
  if (target.startsWith('//')) throw new TypeError('protocol-relative URLs are not allowed');
  const path = target.startsWith('/') ? target : `/${target}`;
  return { origin: base.origin, path: base.basePath + path };
}
