import { defineOperation } from '@patchbay/core';
import { z } from 'zod';
import { API, type JiraContext } from '../config.js';
import { collectOffsetPages } from '../paginate-offset.js';
import { JiraUser, Limit, StartAt } from '../schemas.js';

interface WireUser {
  accountType?: string;
  active?: boolean;
}

/** Pages of an endpoint answering a bare array of users; it ends at an empty page. */
function userPages(
  ctx: JiraContext,
  path: string,
  params: Record<string, string | undefined>,
  options: { limit: number; startAt: number; keep?: (user: WireUser) => boolean },
) {
  return collectOffsetPages<WireUser>({
    ...options,
    pageSize: 100,
    async fetchPage(startAt, maxResults) {
      return { items: await ctx.http.get<WireUser[]>(path, { params: { ...params, startAt, maxResults } }) };
    },
  });
}

export const list_users = defineOperation({
  description:
    'List the users of the Jira site: by default only active people (no apps, no deactivated accounts). Returns accountId, displayName and, where visible, emailAddress.',
  input: z.object({
    includeApps: z.boolean().default(false).describe('Also list app and bot accounts'),
    includeInactive: z.boolean().default(false).describe('Also list deactivated accounts'),
    limit: Limit(50),
    startAt: StartAt,
  }),
  output: z.object({ users: z.array(JiraUser), nextStartAt: z.number().int().optional() }),
  kind: 'read',
  cache: { ttl: 300 },
  async run(ctx: JiraContext, { includeApps, includeInactive, limit, startAt }) {
    const page = await userPages(
      ctx,
      `${API}/users/search`,
      {},
      {
        limit,
        startAt,
        keep: (u) =>
          (includeApps || u.accountType === 'atlassian') && (includeInactive || u.active !== false),
      },
    );
    return { users: page.items, ...(page.nextStartAt !== undefined && { nextStartAt: page.nextStartAt }) };
  },
});

export const search_users = defineOperation({
  description:
    "Find Jira users whose name or email starts with the query (e.g. 'ali' finds Alice Nguyen). Returns their accountIds, which assign_issue, create_issue and the assignee filter of search_issues take.",
  input: z.object({
    query: z.string().trim().min(1).max(255).describe('Start of a display name word or of an email address'),
    limit: Limit(20),
  }),
  output: z.object({ users: z.array(JiraUser) }),
  kind: 'read',
  cache: { ttl: 60 },
  async run(ctx: JiraContext, { query, limit }) {
    const page = await userPages(ctx, `${API}/user/search`, { query }, { limit, startAt: 0 });
    return { users: page.items };
  },
});

export const get_current_user = defineOperation({
  description:
    'Get the Jira account this integration acts as (accountId, displayName, email): "me" when assigning or searching.',
  input: z.object({}),
  output: JiraUser,
  kind: 'read',
  cache: { ttl: 300 },
  run: (ctx: JiraContext) => ctx.http.get(`${API}/myself`),
});
