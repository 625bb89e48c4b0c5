/**
 * Compiles event-type patterns: `*` matches any run of characters (dots included), everything
 * else literally. `github.*` matches every GitHub event, `*.transaction.updated` that type from any
 * source, `*` everything.
 */
export function compilePatterns(patterns: readonly string[]): (name: string) => boolean {
  const regexes = patterns.map(
    (pattern) => new RegExp(`^${pattern.split('*').map(escapeRegExp).join('.*')}$`),
  );
  return (name) => regexes.some((regex) => regex.test(name));
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
