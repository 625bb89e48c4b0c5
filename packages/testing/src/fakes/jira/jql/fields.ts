import { adfText } from '../adf-text.js';
import type { FakeJiraData, FakeJiraIssue } from '../model.js';
import type { JqlOperand, JqlOperator } from './ast.js';
import { parseJqlDate } from './dates.js';

/** What evaluating a query needs besides the issues: the site, who asks, and when. */
export interface JqlEnvironment {
  data: FakeJiraData;
  currentAccountId: string;
  now: number;
}

/**
 * One searchable field: which operators it takes, how an operand becomes a comparable value
 * (or an error message in Jira's words), and how an issue's value is read.
 */
export interface JqlField {
  name: string;
  operators: readonly JqlOperator[];
  /** A comparable value, or `{ error }` when Jira would refuse the operand. */
  resolve(operand: JqlOperand, env: JqlEnvironment): { value: Comparable } | { error: string };
  /** The issue's values (several for labels), `[]` when empty. */
  read(issue: FakeJiraIssue, env: JqlEnvironment): Comparable[];
  /** Sort key for ORDER BY, when the field sorts. */
  sortKey?(issue: FakeJiraIssue, env: JqlEnvironment): number | string;
}

export type Comparable = string | number;

const EQUALITY: readonly JqlOperator[] = ['=', '!=', 'in', 'not in', 'is', 'is not'];
const ORDERED: readonly JqlOperator[] = [...EQUALITY, '>', '>=', '<', '<='];
const TEXT: readonly JqlOperator[] = ['~', '!~', 'is', 'is not'];

function literal(operand: JqlOperand): string | undefined {
  return operand.kind === 'value' ? operand.value : undefined;
}

function entityField(
  name: string,
  list: (env: JqlEnvironment) => { id: string; name: string; key?: string; rank?: number }[],
  read: (issue: FakeJiraIssue) => string | undefined,
  operators: readonly JqlOperator[] = EQUALITY,
): JqlField {
  const find = (env: JqlEnvironment, text: string) => {
    const lower = text.toLowerCase();
    return list(env).find(
      (e) => e.id === text || e.name.toLowerCase() === lower || e.key?.toLowerCase() === lower,
    );
  };
  // A higher priority is the greater value: `priority > Medium` means High and Highest, as in Jira.
  const value = (e: { id: string; rank?: number }) => (e.rank === undefined ? e.id : -e.rank);
  return {
    name,
    operators,
    resolve(operand, env) {
      const text = literal(operand);
      const found = text === undefined ? undefined : find(env, text);
      if (!found)
        return { error: `The value '${describe(operand)}' does not exist for the field '${name}'.` };
      return { value: value(found) };
    },
    read(issue, env) {
      const own = read(issue);
      const found = own === undefined ? undefined : find(env, own);
      return found ? [value(found)] : [];
    },
    sortKey(issue, env) {
      const found = find(env, read(issue) ?? '');
      return found ? value(found) : '';
    },
  };
}

function userField(name: string, read: (issue: FakeJiraIssue) => string | null | undefined): JqlField {
  return {
    name,
    operators: EQUALITY,
    resolve(operand, env) {
      if (operand.kind === 'function' && operand.name.toLowerCase() === 'currentuser') {
        return { value: env.currentAccountId };
      }
      const text = literal(operand);
      if (text !== undefined && env.data.users.some((u) => u.accountId === text)) return { value: text };
      return { error: `The value '${describe(operand)}' does not exist for the field '${name}'.` };
    },
    read: (issue) => {
      const own = read(issue);
      return own ? [own] : [];
    },
    sortKey: (issue, env) => env.data.users.find((u) => u.accountId === read(issue))?.displayName ?? '',
  };
}

function textField(name: string, read: (issue: FakeJiraIssue) => string): JqlField {
  return {
    name,
    operators: TEXT,
    resolve(operand) {
      const text = literal(operand);
      if (text === undefined) return { error: `The field '${name}' only takes text.` };
      return { value: text };
    },
    read: (issue) => {
      const text = read(issue);
      return text ? [text] : [];
    },
    sortKey: (issue) => read(issue).toLowerCase(),
  };
}

function dateField(name: string, read: (issue: FakeJiraIssue) => string | null | undefined): JqlField {
  return {
    name,
    operators: ORDERED,
    resolve(operand, env) {
      const at = parseJqlDate(operand, env.now);
      if (at === undefined) {
        return {
          error: `Date value '${describe(operand)}' for field '${name}' is invalid. Valid formats include: 'yyyy/MM/dd HH:mm', 'yyyy-MM-dd HH:mm', 'yyyy/MM/dd', 'yyyy-MM-dd', or a period format e.g. '-5d', '4w 2d'.`,
        };
      }
      return { value: at };
    },
    read: (issue) => {
      const own = read(issue);
      return own ? [Date.parse(own)] : [];
    },
    sortKey: (issue) => {
      const own = read(issue);
      return own ? Date.parse(own) : 0;
    },
  };
}

const keyField = (name: string, read: (issue: FakeJiraIssue) => string[]): JqlField => ({
  name,
  operators: EQUALITY,
  resolve(operand, env) {
    const text = literal(operand)?.toUpperCase();
    if (text !== undefined && env.data.issues.some((i) => i.key === text || i.id === text))
      return { value: text };
    return { error: `An issue with key '${describe(operand)}' does not exist for field '${name}'.` };
  },
  read,
  sortKey: (issue) => `${issue.projectKey}-${issue.key.split('-')[1]!.padStart(10, '0')}`,
});

function commentText(issue: FakeJiraIssue): string {
  return (issue.comments ?? []).map((c) => adfText(c.body)).join('\n');
}

const FIELDS: JqlField[] = [
  entityField(
    'project',
    (env) => env.data.projects,
    (i) => i.projectKey,
  ),
  entityField(
    'status',
    (env) => env.data.workflow.statuses,
    (i) => i.status,
  ),
  entityField(
    'issuetype',
    (env) => env.data.issueTypes,
    (i) => i.issueType,
  ),
  entityField(
    'priority',
    (env) => env.data.priorities,
    (i) => i.priority,
    ORDERED,
  ),
  userField('assignee', (i) => i.assigneeAccountId),
  userField('reporter', (i) => i.reporterAccountId),
  {
    name: 'labels',
    operators: EQUALITY,
    resolve: (operand) => {
      const text = literal(operand);
      return text === undefined ? { error: "The field 'labels' only takes text." } : { value: text };
    },
    read: (issue) => issue.labels ?? [],
  },
  textField('summary', (i) => i.summary),
  textField('description', (i) => adfText(i.description)),
  textField('comment', commentText),
  textField('text', (i) => [i.summary, adfText(i.description), commentText(i)].join('\n')),
  dateField('created', (i) => i.created),
  dateField('updated', (i) => i.updated),
  dateField('duedate', (i) => (i.duedate ? `${i.duedate}T00:00:00.000Z` : undefined)),
  keyField('key', (i) => [i.key, i.id]),
  keyField('parent', (i) => (i.parentKey ? [i.parentKey] : [])),
];

const ALIASES: Record<string, string> = {
  type: 'issuetype',
  issuekey: 'key',
  id: 'key',
  createddate: 'created',
  updateddate: 'updated',
  due: 'duedate',
};

/** The field a JQL name refers to (case-insensitive, aliases resolved), if the fake knows it. */
export function jqlField(name: string): JqlField | undefined {
  const lower = name.toLowerCase();
  const canonical = ALIASES[lower] ?? lower;
  return FIELDS.find((f) => f.name === canonical);
}

function describe(operand: JqlOperand): string {
  if (operand.kind === 'value') return operand.value;
  if (operand.kind === 'function') return `${operand.name}(${operand.args.join(', ')})`;
  return 'EMPTY';
}
