/** `/repos/{owner}/{repo}` with each part percent-encoded, plus any further segments as given. */
export function repoPath(owner: string, repo: string, ...rest: (string | number)[]): string {
  const tail = rest.map((part) => `/${typeof part === 'number' ? part : encodeURIComponent(part)}`).join('');
  return `/repos/${encodeURIComponent(owner)}/${encodeURIComponent(repo)}${tail}`;
}

/** A file path inside a repository, each segment encoded and the slashes kept (`src/a b.ts` → `src/a%20b.ts`). */
export function filePath(path: string): string {
  return path
    .split('/')
    .filter((segment) => segment !== '')
    .map(encodeURIComponent)
    .join('/');
}

/** GitHub wants a full ISO-8601 timestamp; a bare date means its midnight UTC. */
export function isoTimestamp(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  return /^\d{4}-\d{2}-\d{2}$/.test(value) ? `${value}T00:00:00Z` : value;
}
