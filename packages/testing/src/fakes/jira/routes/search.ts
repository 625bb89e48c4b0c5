import { jiraError } from '../jira-error.js';
import { JqlSyntaxError } from '../jql/ast.js';
import { compileJql, JqlQueryError } from '../jql/evaluate.js';
import { parseJql } from '../jql/parse.js';
import { decodePageToken, encodePageToken } from '../paging.js';
import { type JiraRoute, jsonBody } from './route.js';

const BODY_FIELDS = new Set([
  'jql',
  'nextPageToken',
  'maxResults',
  'fields',
  'expand',
  'properties',
  'fieldsByKeys',
  'failFast',
  'reconcileIssues',
]);

const REMOVED = jiraError(410, [
  'The requested API has been removed. Please migrate to the /rest/api/3/search/jql API. A full migration guideline is available at https://developer.atlassian.com/changelog/#CHANGE-2046',
]);

/** `POST /search/jql` (token pagination), and the retired `/search`, which Jira now answers 410. */
export const searchRoutes: JiraRoute[] = [
  { method: 'GET', path: '/rest/api/3/search', handle: () => REMOVED },
  { method: 'POST', path: '/rest/api/3/search', handle: () => REMOVED },
  {
    method: 'POST',
    path: '/rest/api/3/search/jql',
    handle({ request, caller, site }) {
      const read = jsonBody(request);
      if ('error' in read) return read.error;
      const body = read.body;
      const unknown = Object.keys(body).filter((k) => !BODY_FIELDS.has(k));
      if (unknown.length > 0) return jiraError(400, [`Unrecognized field "${unknown[0]}".`]);
      const jql = typeof body.jql === 'string' ? body.jql : '';
      const fields = Array.isArray(body.fields) ? body.fields.map(String) : [];
      const onlyIds = fields.every((f) => f === 'id' || f === 'key');
      const requested = body.maxResults === undefined ? 50 : body.maxResults;
      if (!Number.isInteger(requested) || (requested as number) < 0) {
        return jiraError(400, ['maxResults must be a non-negative integer.']);
      }
      // Jira serves up to 5000 issues a page when only ids are asked for, else 100.
      const maxResults = Math.min(requested as number, onlyIds ? 5000 : 100);
      let offset = 0;
      if (body.nextPageToken !== undefined) {
        const decoded =
          typeof body.nextPageToken === 'string' ? decodePageToken(body.nextPageToken, jql) : undefined;
        if (decoded === undefined)
          return jiraError(400, ['The provided next page token is invalid or expired.']);
        offset = decoded;
      }
      let compiled: ReturnType<typeof compileJql>;
      try {
        const query = parseJql(jql);
        if (!query.where) {
          return jiraError(400, [
            'Unbounded JQL queries are not allowed here. Please add a search restriction to your query.',
          ]);
        }
        compiled = compileJql(query, {
          data: site.data,
          currentAccountId: caller.accountId,
          now: site.now(),
        });
      } catch (error) {
        if (error instanceof JqlSyntaxError) return jiraError(400, [error.message]);
        if (error instanceof JqlQueryError) return jiraError(400, error.messages);
        throw error;
      }
      const matching = site.data.issues
        .filter((i) => compiled.matches(i))
        .sort((a, b) => compiled.compare(a, b));
      const page = matching.slice(offset, offset + maxResults);
      const next = offset + page.length;
      const isLast = next >= matching.length;
      const json: Record<string, unknown> = {
        issues: page.map((issue) => site.wire.issue(issue, fields, false)),
        isLast,
      };
      if (!isLast) json.nextPageToken = encodePageToken({ jql, offset: next });
      return { status: 200, json };
    },
  },
];
