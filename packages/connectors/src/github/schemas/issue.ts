import { z } from 'zod';
import { GitHubAccount, OptionalAccount } from './account.js';

/** GitHub sends a label as an object, and in a few places as a bare name. */
const Label = z.preprocess(
  (value) => (typeof value === 'string' ? { name: value } : value),
  z.object({ name: z.string(), color: z.string().optional(), description: z.string().nullable().optional() }),
);

const Milestone = z
  .object({ number: z.number(), title: z.string(), state: z.string(), due_on: z.string().nullable() })
  .nullable();

/** An issue (or a pull request seen as an issue: then `pull_request` is present). */
export const Issue = z.object({
  number: z.number(),
  title: z.string(),
  state: z.string().describe('open or closed'),
  state_reason: z.string().nullable().optional().describe('completed, not_planned, reopened or duplicate'),
  body: z.string().nullable().optional(),
  user: OptionalAccount,
  labels: z.array(Label),
  assignees: z.array(GitHubAccount).default([]),
  milestone: Milestone,
  comments: z.number(),
  locked: z.boolean(),
  html_url: z.string(),
  created_at: z.string(),
  updated_at: z.string(),
  closed_at: z.string().nullable(),
  author_association: z.string().optional(),
  pull_request: z
    .object({ html_url: z.string().nullable(), merged_at: z.string().nullable().optional() })
    .optional()
    .describe('Present when this issue number is a pull request'),
});
export type Issue = z.output<typeof Issue>;

export const IssueComment = z.object({
  id: z.number(),
  body: z.string().optional(),
  user: OptionalAccount,
  html_url: z.string(),
  created_at: z.string(),
  updated_at: z.string(),
  author_association: z.string().optional(),
});
export type IssueComment = z.output<typeof IssueComment>;

export { Label as IssueLabel };
