import type { FileChange } from '../schemas/commit.js';

/** GitHub's `diff-entry`, as far as we read it. */
interface DiffEntry {
  filename: string;
  status: FileChange['status'];
  additions: number;
  deletions: number;
  changes: number;
  patch?: string;
  previous_filename?: string;
}

/** A changed file with the size of its diff, and the diff itself only when asked (it can be huge). */
export function fileChangeOf(entry: unknown, includePatch: boolean): FileChange {
  const { filename, status, additions, deletions, changes, patch, previous_filename } = entry as DiffEntry;
  return {
    filename,
    status,
    additions,
    deletions,
    changes,
    ...(previous_filename === undefined ? {} : { previous_filename }),
    patch_size: typeof patch === 'string' ? patch.length : null,
    ...(includePatch && typeof patch === 'string' ? { patch } : {}),
  };
}

/** `{ added: 2, modified: 5 }`: how many files each status accounts for. */
export function countByStatus(files: readonly FileChange[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const file of files) counts[file.status] = (counts[file.status] ?? 0) + 1;
  return counts;
}
