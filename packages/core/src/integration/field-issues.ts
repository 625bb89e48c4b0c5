import type { z } from 'zod';
import type { FieldIssue } from '../errors/integration-error.js';

/** zod issues as `{ path, message }`, never quoting the value (it may be a secret). */
export function fieldIssues(error: z.ZodError, prefix?: string): FieldIssue[] {
  return error.issues.map((issue) => {
    const path = issue.path.map(String).join('.');
    return {
      path: prefix ? (path ? `${prefix}.${path}` : prefix) : path || '(root)',
      message: issue.message,
    };
  });
}

export function describeIssues(issues: readonly FieldIssue[]): string {
  return issues.map((i) => `${i.path}: ${i.message}`).join('; ');
}
