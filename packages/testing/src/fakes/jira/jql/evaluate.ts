import type { FakeJiraIssue } from '../model.js';
import type { JqlClause, JqlNode, JqlQuery } from './ast.js';
import { type Comparable, type JqlEnvironment, type JqlField, jqlField } from './fields.js';

/** A query that parses but that Jira would still refuse (unknown field, value, operator). */
export class JqlQueryError extends Error {
  constructor(readonly messages: string[]) {
    super(messages.join(' '));
    this.name = 'JqlQueryError';
  }
}

/** A checked query, ready to filter and sort issues. */
export interface CompiledJql {
  matches(issue: FakeJiraIssue): boolean;
  compare(a: FakeJiraIssue, b: FakeJiraIssue): number;
}

type Matcher = (issue: FakeJiraIssue) => boolean;

/**
 * Checks a parsed query against the site, as Jira does before it searches, and compiles it.
 * Every problem is collected, so the 400 lists them all.
 * @throws JqlQueryError naming each unknown field, refused operator or missing value
 */
export function compileJql(query: JqlQuery, env: JqlEnvironment): CompiledJql {
  const errors: string[] = [];
  const matcher = query.where ? compileNode(query.where, env, errors) : () => true;
  const sorters = query.orderBy.map((item) => {
    const field = jqlField(item.field);
    if (!field?.sortKey) {
      errors.push(`Not able to sort using field '${item.field}'.`);
      return () => 0;
    }
    const key = field.sortKey.bind(field);
    const sign = item.direction === 'desc' ? -1 : 1;
    return (a: FakeJiraIssue, b: FakeJiraIssue) => sign * compareValues(key(a, env), key(b, env));
  });
  if (errors.length > 0) throw new JqlQueryError(errors);
  // Without ORDER BY, newest first, as Jira's issue navigator lists them.
  const order =
    sorters.length > 0
      ? sorters
      : [(a: FakeJiraIssue, b: FakeJiraIssue) => compareValues(b.created, a.created)];
  return {
    matches: matcher,
    compare(a, b) {
      for (const sorter of order) {
        const result = sorter(a, b);
        if (result !== 0) return result;
      }
      return compareValues(Number(a.id), Number(b.id));
    },
  };
}

function compileNode(node: JqlNode, env: JqlEnvironment, errors: string[]): Matcher {
  switch (node.kind) {
    case 'and': {
      const children = node.children.map((c) => compileNode(c, env, errors));
      return (issue) => children.every((m) => m(issue));
    }
    case 'or': {
      const children = node.children.map((c) => compileNode(c, env, errors));
      return (issue) => children.some((m) => m(issue));
    }
    case 'not': {
      const child = compileNode(node.child, env, errors);
      return (issue) => !child(issue);
    }
    case 'clause':
      return compileClause(node, env, errors);
  }
}

function compileClause(clause: JqlClause, env: JqlEnvironment, errors: string[]): Matcher {
  const field = jqlField(clause.field);
  if (!field) {
    errors.push(`Field '${clause.field}' does not exist or you do not have permission to view it.`);
    return () => false;
  }
  if (!field.operators.includes(clause.operator)) {
    errors.push(
      `The operator '${clause.operator.toUpperCase()}' is not supported by the '${field.name}' field.`,
    );
    return () => false;
  }
  if (clause.operator === 'is' || clause.operator === 'is not') {
    const empty = clause.operator === 'is';
    return (issue) => (field.read(issue, env).length === 0) === empty;
  }
  const wanted: Comparable[] = [];
  for (const operand of clause.operands) {
    if (operand.kind === 'empty') {
      errors.push(
        `The operator '${clause.operator.toUpperCase()}' does not take EMPTY for the '${field.name}' field.`,
      );
      continue;
    }
    const resolved = field.resolve(operand, env);
    if ('error' in resolved) errors.push(resolved.error);
    else wanted.push(resolved.value);
  }
  return clauseMatcher(field, clause, wanted, env);
}

function clauseMatcher(
  field: JqlField,
  clause: JqlClause,
  wanted: Comparable[],
  env: JqlEnvironment,
): Matcher {
  const has = (issue: FakeJiraIssue, test: (value: Comparable) => boolean) =>
    field.read(issue, env).some(test);
  const equalsAny = (value: Comparable) => wanted.some((w) => sameValue(field, value, w));
  const target = wanted[0]!;
  switch (clause.operator) {
    case '=':
    case 'in':
      return (issue) => has(issue, equalsAny);
    case '!=':
    case 'not in':
      // As in Jira, an issue with no value matches neither `=` nor `!=`.
      return (issue) => field.read(issue, env).length > 0 && !has(issue, equalsAny);
    case '~':
      return (issue) => has(issue, (value) => textMatches(String(value), String(target)));
    case '!~':
      return (issue) => !has(issue, (value) => textMatches(String(value), String(target)));
    case '>':
      return (issue) => has(issue, (value) => compareValues(value, target) > 0);
    case '>=':
      return (issue) => has(issue, (value) => compareValues(value, target) >= 0);
    case '<':
      return (issue) => has(issue, (value) => compareValues(value, target) < 0);
    case '<=':
      return (issue) => has(issue, (value) => compareValues(value, target) <= 0);
    default:
      return () => false;
  }
}

function sameValue(field: JqlField, a: Comparable, b: Comparable): boolean {
  // Keys and ids are compared upper-cased; labels exactly; the rest were resolved to ids already.
  if (field.name === 'key' || field.name === 'parent')
    return String(a).toUpperCase() === String(b).toUpperCase();
  return a === b;
}

/**
 * Jira's text search, simplified: the term's Lucene escapes (`\-`, `\"`) are removed and every
 * word of it must occur in the text, case-insensitively; a trailing `*` is a prefix wildcard.
 */
function textMatches(text: string, term: string): boolean {
  const haystack = text.toLowerCase();
  const words = term
    .replace(/\\(.)/g, '$1')
    .toLowerCase()
    .split(/\s+/)
    .map((w) => w.replace(/\*$/, ''))
    .filter((w) => w !== '');
  return words.length > 0 && words.every((w) => haystack.includes(w));
}

function compareValues(a: Comparable, b: Comparable): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  return String(a).localeCompare(String(b));
}
