import { fullName, type RepositoryRecord, sha1 } from '../model.js';
import type { Hosts } from './user.js';

/** What a path of a repository is, at a ref. */
export type ContentEntry = { type: 'file'; path: string; bytes: Uint8Array } | { type: 'dir'; path: string };

/** The file or directory at `path` (`''` is the root), or undefined. */
export function lookupContent(repo: RepositoryRecord, path: string): ContentEntry | undefined {
  const clean = path.replace(/^\/+|\/+$/g, '');
  const bytes = repo.files.get(clean);
  if (bytes) return { type: 'file', path: clean, bytes };
  const prefix = clean === '' ? '' : `${clean}/`;
  for (const file of repo.files.keys()) if (file.startsWith(prefix)) return { type: 'dir', path: clean };
  return undefined;
}

/** The entries directly inside a directory, directories first, as GitHub lists them. */
export function directoryEntries(repo: RepositoryRecord, dir: string): ContentEntry[] {
  const prefix = dir === '' ? '' : `${dir}/`;
  const files: ContentEntry[] = [];
  const dirs = new Set<string>();
  for (const [path, bytes] of repo.files) {
    if (!path.startsWith(prefix)) continue;
    const rest = path.slice(prefix.length);
    const slash = rest.indexOf('/');
    if (slash === -1) files.push({ type: 'file', path, bytes });
    else dirs.add(prefix + rest.slice(0, slash));
  }
  const sorted = [...dirs].sort().map((path): ContentEntry => ({ type: 'dir', path }));
  return [...sorted, ...files.sort((a, b) => a.path.localeCompare(b.path))];
}

/**
 * GitHub's `content-file` (with its base64 `content`, wrapped at 60 characters as GitHub does)
 * or one item of `content-directory` (without content).
 */
export function contentItem(
  hosts: Hosts,
  repo: RepositoryRecord,
  ref: string,
  entry: ContentEntry,
  withContent: boolean,
): Record<string, unknown> {
  const name = fullName(repo);
  const encoded = entry.path.split('/').map(encodeURIComponent).join('/');
  const sha = sha1(entry.type, ref, entry.path);
  const self = `${hosts.api}/repos/${name}/contents/${encoded}?ref=${encodeURIComponent(ref)}`;
  const git = `${hosts.api}/repos/${name}/git/${entry.type === 'file' ? 'blobs' : 'trees'}/${sha}`;
  const html = `${hosts.html}/${name}/${entry.type === 'file' ? 'blob' : 'tree'}/${ref}/${encoded}`;
  const out: Record<string, unknown> = {
    type: entry.type,
    name: entry.path.slice(entry.path.lastIndexOf('/') + 1),
    path: entry.path,
    sha,
    size: entry.type === 'file' ? entry.bytes.length : 0,
    url: self,
    html_url: html,
    git_url: git,
    download_url: entry.type === 'file' ? `${hosts.html}/${name}/raw/${ref}/${encoded}` : null,
    _links: { self, git, html },
  };
  if (withContent && entry.type === 'file') {
    out.encoding = 'base64';
    const lines =
      Buffer.from(entry.bytes)
        .toString('base64')
        .match(/.{1,60}/g) ?? [];
    out.content = lines.map((line) => `${line}\n`).join('');
  }
  return out;
}
