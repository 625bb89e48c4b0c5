import { z } from 'zod';

/** Shared input fields, described for the agents that fill them in. */

// Letters, digits, `-`, `_` and `.`: GitHub's own alphabet for names, and never `.` or `..`, so
// a name cannot climb out of `/repos/{owner}/{repo}`.
const NAME = /^(?!\.{1,2}$)[A-Za-z0-9_.-]+$/;

export const owner = z
  .string()
  .max(100)
  .regex(NAME, 'must be a GitHub account or organization name')
  .describe('Account or organization that owns the repository, e.g. "octo-org"');

export const repo = z
  .string()
  .max(100)
  .regex(NAME, 'must be a repository name')
  .describe('Repository name without the owner, e.g. "hello-world"');

export function limit(defaultValue: number, max: number) {
  return z
    .number()
    .int()
    .min(1)
    .max(max)
    .default(defaultValue)
    .describe(`Most items to return (1 to ${max}, default ${defaultValue})`);
}

export const issueNumber = z.number().int().min(1).describe('Issue number as shown on GitHub (#42 → 42)');

export const pullNumber = z
  .number()
  .int()
  .min(1)
  .describe('Pull request number as shown on GitHub (#42 → 42)');

export const timestamp = z
  .union([z.iso.datetime({ offset: true }), z.iso.date()])
  .describe('ISO-8601 time, e.g. "2024-03-01T00:00:00Z" or "2024-03-01" (midnight UTC)');

export const ref = z
  .string()
  .min(1)
  .max(255)
  .describe('Branch name, tag or commit SHA, e.g. "main" or "6dcb09b"');

export const includePatches = z
  .boolean()
  .default(false)
  .describe("Include each file's unified diff (can be large); patch sizes are always given");

export const maxFiles = z
  .number()
  .int()
  .min(1)
  .max(3000)
  .default(300)
  .describe('Most changed files to list (GitHub lists at most 3000)');

export const sortDirection = z.enum(['asc', 'desc']).optional().describe('Sort direction (default desc)');
