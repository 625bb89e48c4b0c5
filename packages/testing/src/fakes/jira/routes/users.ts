import { jiraError } from '../jira-error.js';
import type { FakeJiraUser } from '../model.js';
import { offsetParams, queryParam } from '../paging.js';
import type { JiraRoute } from './route.js';

/** Jira's user search matches the start of any word of the name, or the start of the email. */
function matchesQuery(user: FakeJiraUser, query: string): boolean {
  const lower = query.toLowerCase();
  const words = user.displayName.toLowerCase().split(/\s+/);
  return (
    words.some((w) => w.startsWith(lower)) ||
    user.displayName.toLowerCase().startsWith(lower) ||
    (user.emailAddress?.toLowerCase().startsWith(lower) ?? false)
  );
}

/** `GET /users/search`, `GET /user/search` and `GET /myself`. */
export const userRoutes: JiraRoute[] = [
  {
    method: 'GET',
    path: '/rest/api/3/users/search',
    handle({ request, site }) {
      const paging = offsetParams(request, { maxResults: 50, cap: 1000 });
      if (!paging) return jiraError(400, ['startAt and maxResults must be non-negative integers.']);
      const page = site.data.users.slice(paging.startAt, paging.startAt + paging.maxResults);
      return { status: 200, json: page.map((u) => site.wire.user(u)) };
    },
  },
  {
    method: 'GET',
    path: '/rest/api/3/user/search',
    handle({ request, site }) {
      const paging = offsetParams(request, { maxResults: 50, cap: 1000 });
      if (!paging) return jiraError(400, ['startAt and maxResults must be non-negative integers.']);
      const query = queryParam(request, 'query');
      const accountId = queryParam(request, 'accountId');
      if (!query && !accountId)
        return jiraError(400, ["One of 'query' or 'accountId' parameters must be provided."]);
      const matching = site.data.users.filter(
        (u) => (!query || matchesQuery(u, query)) && (!accountId || u.accountId === accountId),
      );
      const page = matching.slice(paging.startAt, paging.startAt + paging.maxResults);
      return { status: 200, json: page.map((u) => site.wire.user(u)) };
    },
  },
  {
    method: 'GET',
    path: '/rest/api/3/myself',
    handle: ({ caller, site }) => ({ status: 200, json: site.wire.user(caller) }),
  },
];
