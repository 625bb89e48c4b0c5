import type { FakeResponse } from '../../../types.js';
import { problemsParsingJson, type ValidationProblem, validationFailed } from '../errors.js';
import type { IssueRecord, RepositoryRecord } from '../model.js';

/** The writable fields of an issue, checked the way GitHub checks them. */
export type IssueFields = Partial<
  Pick<IssueRecord, 'title' | 'body' | 'labels' | 'assignees' | 'milestone' | 'state' | 'state_reason'>
>;

/**
 * Reads an issue body for create (`requireTitle`) or update: the wrong JSON type is a 400
 * "Problems parsing JSON"; a missing title, an assignee who cannot be assigned or an unknown
 * milestone is a 422 "Validation Failed" naming the field, as GitHub answers.
 */
export function readIssueFields(
  body: Record<string, unknown>,
  repo: RepositoryRecord,
  requireTitle: boolean,
  docs: string,
): IssueFields | FakeResponse {
  const out: IssueFields = {};
  const problems: ValidationProblem[] = [];
  const { title, body: text, labels, assignees, assignee, milestone, state, state_reason } = body;
  if (title !== undefined) {
    if (typeof title !== 'string' && typeof title !== 'number') return problemsParsingJson();
    out.title = String(title);
  }
  if (requireTitle && !out.title) problems.push({ resource: 'Issue', field: 'title', code: 'missing_field' });
  if (text !== undefined) {
    if (text !== null && typeof text !== 'string') return problemsParsingJson();
    out.body = text;
  }
  if (labels !== undefined) {
    if (!Array.isArray(labels)) return problemsParsingJson();
    const names = labels.map((l) =>
      typeof l === 'object' && l !== null ? (l as { name?: unknown }).name : l,
    );
    if (!names.every((n): n is string => typeof n === 'string')) return problemsParsingJson();
    out.labels = names;
  }
  const people = assignees ?? (assignee === undefined ? undefined : assignee === null ? [] : [assignee]);
  if (people !== undefined) {
    if (!Array.isArray(people) || !people.every((p): p is string => typeof p === 'string')) {
      return problemsParsingJson();
    }
    for (const login of people) {
      if (![...repo.collaborators].some((c) => c.toLowerCase() === login.toLowerCase())) {
        problems.push({ resource: 'Issue', field: 'assignees', code: 'invalid', value: login });
      }
    }
    out.assignees = people.map(
      (p) => [...repo.collaborators].find((c) => c.toLowerCase() === p.toLowerCase()) ?? p,
    );
  }
  if (milestone !== undefined) {
    const number = milestone === null ? null : Number(milestone);
    if (number !== null && !repo.milestones.some((m) => m.number === number)) {
      problems.push({ resource: 'Issue', field: 'milestone', code: 'invalid', value: milestone as number });
    }
    out.milestone = number;
  }
  if (state !== undefined) {
    if (state !== 'open' && state !== 'closed') {
      problems.push({ resource: 'Issue', field: 'state', code: 'invalid', value: String(state) });
    } else out.state = state;
  }
  if (state_reason !== undefined) {
    if (state_reason !== null && !['completed', 'not_planned', 'reopened'].includes(String(state_reason))) {
      problems.push({
        resource: 'Issue',
        field: 'state_reason',
        code: 'invalid',
        value: String(state_reason),
      });
    } else out.state_reason = state_reason as IssueFields['state_reason'];
  }
  return problems.length > 0 ? validationFailed(problems, docs) : out;
}

export function isResponse(value: IssueFields | FakeResponse): value is FakeResponse {
  return 'status' in value && typeof (value as FakeResponse).status === 'number';
}
