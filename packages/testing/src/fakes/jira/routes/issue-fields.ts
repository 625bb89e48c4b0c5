import { isAdfDocument } from '../adf-text.js';
import type { FakeJiraIssue, FakeJiraProject } from '../model.js';
import type { FakeJiraSite } from '../site.js';
import { reference } from './route.js';

/** The issue record fields a request may set. */
export type IssueChanges = Partial<
  Pick<
    FakeJiraIssue,
    | 'summary'
    | 'issueType'
    | 'description'
    | 'assigneeAccountId'
    | 'reporterAccountId'
    | 'priority'
    | 'labels'
    | 'duedate'
    | 'parentKey'
    | 'customFields'
  >
>;

/** What reading `fields` (and `update`) gave: the changes, or Jira's per-field errors. */
export interface FieldsReading {
  changes: IssueChanges;
  errors: Record<string, string>;
}

type FieldReader = (value: unknown, changes: IssueChanges, errors: Record<string, string>) => void;

/**
 * Reads an issue's `fields` object as Jira's create, edit and transition endpoints do, field by
 * field, with Jira's messages for values it refuses. `project` is read by the caller (create only).
 */
export function readIssueFields(
  site: FakeJiraSite,
  project: FakeJiraProject,
  fields: Record<string, unknown>,
  existing?: FakeJiraIssue,
): FieldsReading {
  const changes: IssueChanges = {};
  const errors: Record<string, string> = {};
  const readers = fieldReaders(site, project);
  for (const [name, value] of Object.entries(fields)) {
    if (name === 'project') continue;
    if (/^customfield_\d+$/.test(name)) {
      changes.customFields = { ...(existing?.customFields ?? {}), ...changes.customFields, [name]: value };
      continue;
    }
    const reader = readers[name];
    if (reader) reader(value, changes, errors);
    else errors[name] = `Field '${name}' cannot be set. It is not on the appropriate screen, or unknown.`;
  }
  return { changes, errors };
}

/**
 * Reads `update.labels` (`[{ add }, { remove }, { set }]`), the one `update` verb the fake
 * takes besides `update.comment` (handled by the transition route). Other names are refused.
 */
export function readLabelUpdates(
  update: Record<string, unknown>,
  labels: string[],
  errors: Record<string, string>,
  allowed: readonly string[] = ['labels'],
): string[] {
  let result = [...labels];
  for (const [name, operations] of Object.entries(update)) {
    if (!allowed.includes(name)) {
      errors[name] = `Field '${name}' cannot be set. It is not on the appropriate screen, or unknown.`;
      continue;
    }
    if (name !== 'labels') continue;
    if (!Array.isArray(operations)) {
      errors.labels = 'The update of labels must be a list of operations.';
      continue;
    }
    for (const operation of operations as Record<string, unknown>[]) {
      const [verb, value] = Object.entries(operation ?? {})[0] ?? [];
      const problem = labelProblem(value);
      if (problem) {
        errors.labels = problem;
        continue;
      }
      const label = value as string;
      switch (verb) {
        case 'add':
          if (!result.includes(label)) result.push(label);
          break;
        case 'remove':
          result = result.filter((l) => l !== label);
          break;
        case 'set':
          result = [label];
          break;
        default:
          errors.labels = `The operation '${String(verb)}' is not supported for labels.`;
      }
    }
  }
  return result;
}

function labelProblem(value: unknown): string | undefined {
  if (typeof value !== 'string' || value === '') return 'A label must be a non-empty string.';
  if (/\s/.test(value)) return `The label '${value}' contains spaces which is invalid.`;
  if (value.length > 255) return 'The label must not exceed 255 characters.';
  return undefined;
}

function fieldReaders(site: FakeJiraSite, project: FakeJiraProject): Record<string, FieldReader> {
  return {
    summary(value, changes, errors) {
      if (typeof value !== 'string' || value.trim() === '')
        errors.summary = 'You must specify a summary of the issue.';
      else if (value.length > 255) errors.summary = 'Summary must be less than 255 characters.';
      else if (/[\r\n]/.test(value))
        errors.summary = 'The summary is invalid because it contains newline characters.';
      else changes.summary = value;
    },
    issuetype(value, changes, errors) {
      const ref = reference(value);
      const offered = site.wire.projectIssueTypes(project);
      const type = offered.find(
        (t) =>
          t.id === ref?.id || (ref?.name !== undefined && t.name.toLowerCase() === ref.name.toLowerCase()),
      );
      if (!type) errors.issuetype = 'Specify a valid issue type';
      else changes.issueType = type.name;
    },
    description(value, changes, errors) {
      if (value === null) changes.description = null;
      else if (!isAdfDocument(value)) {
        errors.description =
          'Operation value must be an Atlassian Document (see the Atlassian Document Format)';
      } else changes.description = value;
    },
    priority(value, changes, errors) {
      const ref = reference(value);
      const priority = site.data.priorities.find((p) => p.id === ref?.id || p.name === ref?.name);
      if (!priority)
        errors.priority = `Priority name '${ref?.name ?? ref?.id ?? String(value)}' is not valid`;
      else changes.priority = priority.name;
    },
    labels(value, changes, errors) {
      if (!Array.isArray(value)) {
        errors.labels = 'The labels must be a list of strings.';
        return;
      }
      const problem = value.map(labelProblem).find((p) => p !== undefined);
      if (problem) errors.labels = problem;
      else changes.labels = [...new Set(value as string[])];
    },
    assignee(value, changes, errors) {
      if (value === null) {
        changes.assigneeAccountId = null;
        return;
      }
      const accountId = reference(value)?.accountId;
      const user = accountId === undefined ? undefined : site.user(accountId);
      if (!user || user.active === false)
        errors.assignee = `User '${accountId ?? ''}' cannot be assigned issues.`;
      else changes.assigneeAccountId = user.accountId;
    },
    reporter(value, changes, errors) {
      const accountId = reference(value)?.accountId;
      if (accountId === undefined || !site.user(accountId))
        errors.reporter = 'Specify a valid value for reporter.';
      else changes.reporterAccountId = accountId;
    },
    duedate(value, changes, errors) {
      if (value === null) changes.duedate = null;
      else if (
        typeof value !== 'string' ||
        !/^\d{4}-\d{2}-\d{2}$/.test(value) ||
        Number.isNaN(Date.parse(value))
      ) {
        errors.duedate = `Error parsing date string: ${String(value)}`;
      } else changes.duedate = value;
    },
    parent(value, changes, errors) {
      const ref = reference(value);
      const parent = site.issue(ref?.key ?? ref?.id ?? '');
      if (!parent) errors.parent = 'Could not find issue by id or key.';
      else changes.parentKey = parent.key;
    },
  };
}
