import type { FileContents } from '../schemas/contents.js';

interface ContentItem {
  type: 'file' | 'dir' | 'symlink' | 'submodule';
  name: string;
  path: string;
  sha: string;
  size: number;
  html_url: string | null;
  download_url?: string | null;
  encoding?: string;
  content?: string;
  target?: string;
  submodule_git_url?: string;
}

const UTF8 = new TextDecoder('utf-8', { fatal: true });

/**
 * GitHub's contents answer made readable: a directory (an array) becomes its entries; a file's
 * base64 (wrapped at 60 columns) becomes text when it is valid UTF-8, else stays base64. Files
 * over 1 MB come with `encoding: "none"` and no content.
 */
export function contentsOf(body: unknown, requestedPath: string): FileContents {
  if (Array.isArray(body)) {
    const entries = (body as ContentItem[]).map(({ type, name, path, sha, size, html_url }) => ({
      type,
      name,
      path,
      sha,
      size,
      html_url,
    }));
    return { type: 'dir', path: requestedPath.replace(/^\/+|\/+$/g, ''), entries };
  }
  const item = body as ContentItem;
  const common = { name: item.name, path: item.path, sha: item.sha, html_url: item.html_url };
  if (item.type === 'symlink' || item.type === 'submodule') {
    return {
      type: item.type,
      ...common,
      ...(item.target === undefined ? {} : { target: item.target }),
      ...(item.submodule_git_url === undefined ? {} : { submodule_git_url: item.submodule_git_url }),
    };
  }
  const base = { type: 'file' as const, ...common, size: item.size, download_url: item.download_url ?? null };
  if (item.encoding !== 'base64' || typeof item.content !== 'string') return { ...base, text: null };
  const bytes = Buffer.from(item.content.replace(/\s+/g, ''), 'base64');
  try {
    return { ...base, text: UTF8.decode(bytes) };
  } catch {
    return { ...base, text: null, content_base64: bytes.toString('base64') };
  }
}
