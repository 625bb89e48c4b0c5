/** A compiled route path such as `'/repos/:owner/:repo'` or `'/files/*'`. */
export interface PathPattern {
  /** The pattern as written. */
  readonly source: string;
  /** The params when `path` (no query string) matches, else `undefined`. */
  match(path: string): Record<string, string> | undefined;
}

const PARAM = /:([A-Za-z_$][\w$]*)/g;

/**
 * Compiles a route path. `:name` matches one non-empty segment; a trailing `*` matches any rest,
 * captured as the param `'*'`: `'/files/*'` matches `/files`, `/files/` and `/files/a/b`; `'*'` alone
 * matches every path. Everything else matches literally, and a trailing slash is significant.
 */
export function compilePathPattern(source: string): PathPattern {
  if (source !== '*' && !source.startsWith('/')) {
    throw new TypeError(`route path must start with '/' or be '*', got ${JSON.stringify(source)}`);
  }
  const { body, tail } = splitWildcard(source);
  const names: string[] = [];
  let regex = '';
  let last = 0;
  for (const m of body.matchAll(PARAM)) {
    regex += escapeRegExp(body.slice(last, m.index)) + '([^/]+)';
    names.push(m[1]!);
    last = m.index + m[0].length;
  }
  regex += escapeRegExp(body.slice(last)) + tail;
  if (tail) names.push('*');
  const compiled = new RegExp(`^${regex}$`);

  return {
    source,
    match(path) {
      const found = compiled.exec(path);
      if (!found) return undefined;
      const params: Record<string, string> = {};
      names.forEach((name, i) => {
        params[name] = safeDecode(found[i + 1] ?? '');
      });
      return params;
    },
  };
}

function splitWildcard(source: string): { body: string; tail: string } {
  if (source === '*') return { body: '', tail: '(.*)' };
  // '/files/*' also matches '/files': the slash before the wildcard is optional.
  if (source.endsWith('/*')) return { body: source.slice(0, -2), tail: '(?:/(.*))?' };
  if (source.endsWith('*')) return { body: source.slice(0, -1), tail: '(.*)' };
  return { body: source, tail: '' };
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
