import { z } from 'zod';

/*
 * What the connector relies on in Jira's answers. Objects are loose: Jira's other fields pass
 * through untouched, and only the ones named here are checked.
 */

export const JiraUser = z.looseObject({
  accountId: z.string(),
  displayName: z.string().optional(),
  emailAddress: z.string().optional(),
  accountType: z.string().optional(),
  active: z.boolean().optional(),
});
export type JiraUser = z.output<typeof JiraUser>;

export const JiraProject = z.looseObject({
  id: z.string(),
  key: z.string(),
  name: z.string(),
  projectTypeKey: z.string().optional(),
});
export type JiraProject = z.output<typeof JiraProject>;

export const JiraStatus = z.looseObject({
  id: z.string(),
  name: z.string(),
  statusCategory: z.looseObject({ key: z.string(), name: z.string() }).optional(),
});
export type JiraStatus = z.output<typeof JiraStatus>;

export const JiraIssue = z.looseObject({
  id: z.string(),
  key: z.string(),
  self: z.string().optional(),
  fields: z.record(z.string(), z.unknown()).default({}),
});
export type JiraIssue = z.output<typeof JiraIssue>;

export const JiraTransition = z.looseObject({
  id: z.string(),
  name: z.string(),
  to: JiraStatus.optional(),
});
export type JiraTransition = z.output<typeof JiraTransition>;

export const JiraComment = z.looseObject({
  id: z.string(),
  body: z.unknown(),
  author: JiraUser.optional(),
  created: z.string().optional(),
  updated: z.string().optional(),
});
export type JiraComment = z.output<typeof JiraComment>;

// Inputs shared by several operations.

export const ProjectKey = z
  .string()
  .regex(/^(?:[A-Za-z][A-Za-z0-9_]*|\d+)$/, 'must be a project key such as PROJ, or a numeric id')
  .describe('Project key (e.g. PROJ) or numeric project id');

export const IssueKey = z
  .string()
  .regex(/^(?:[A-Za-z][A-Za-z0-9_]*-\d+|\d+)$/, 'must be an issue key such as PROJ-123, or a numeric id')
  .describe('Issue key (e.g. PROJ-123) or numeric issue id');

export const AccountId = z
  .string()
  .min(1)
  .max(128)
  .describe('Atlassian accountId of a user (find one with search_users)');

export const Limit = (fallback: number, max = 1000) =>
  z
    .number()
    .int()
    .min(1)
    .max(max)
    .default(fallback)
    .describe(`Most items to return (1-${max}); pages are fetched until this many are collected`);

export const StartAt = z
  .number()
  .int()
  .min(0)
  .default(0)
  .describe('Index of the first item, to continue a listing (use nextStartAt of a previous result)');
