import type { FakeResponse, RecordedRequest } from '../../../types.js';
import { jiraError } from '../jira-error.js';
import type { FakeJiraUser } from '../model.js';
import type { FakeJiraSite } from '../site.js';

/** What a route handler gets: the request, the authenticated caller and the site. */
export interface JiraRequest {
  request: RecordedRequest;
  caller: FakeJiraUser;
  site: FakeJiraSite;
}

/** One REST v3 endpoint of the fake. */
export interface JiraRoute {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** A fake-upstream path pattern, e.g. `/rest/api/3/issue/:issueIdOrKey`. */
  path: string;
  handle(req: JiraRequest): FakeResponse;
}

/** The JSON body of a POST or PUT, or the 400/415 Jira answers when there is none to read. */
export function jsonBody(
  request: RecordedRequest,
): { body: Record<string, unknown> } | { error: FakeResponse } {
  const type = String(request.headers['content-type'] ?? '');
  if (!type.toLowerCase().startsWith('application/json')) {
    return { error: jiraError(415, ['Unsupported Media Type: send the body as application/json.']) };
  }
  let value: unknown;
  try {
    value = request.json();
  } catch {
    return { error: jiraError(400, ['Unexpected character in the request body: it is not valid JSON.']) };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { error: jiraError(400, ['The request body must be a JSON object.']) };
  }
  return { body: value as Record<string, unknown> };
}

/** `{ "id": "…" }` or `{ "key": "…" }` / `{ "name": "…" }`, the way Jira names a related entity. */
export function reference(
  value: unknown,
): { id?: string; key?: string; name?: string; accountId?: string } | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const ref = value as Record<string, unknown>;
  const out: { id?: string; key?: string; name?: string; accountId?: string } = {};
  for (const name of ['id', 'key', 'name', 'accountId'] as const) {
    if (typeof ref[name] === 'string') out[name] = ref[name] as string;
  }
  return out;
}
