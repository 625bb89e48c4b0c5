/**
 * Building JQL from structured filters without letting any value change the query's meaning.
 * Every value becomes one quoted JQL string with Jira's escapes, so a status named
 * `x" OR project = SECRET OR "` is looked up as that literal name, never run as JQL.
 */

/** Control characters Jira's JQL grammar has no short escape for; sent as `\uXXXX`. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f\u2028\u2029]/g;

/**
 * A JQL string literal: `"` and `\` escaped, newlines, tabs and other control characters
 * written as escapes, so the value stays one token whatever it holds.
 * @example
 * jqlString('x" OR project = SECRET OR "') // '"x\\" OR project = SECRET OR \\""'
 */
export function jqlString(value: string): string {
  const escaped = value
    .replace(/\\/g, '\\\\')
    .replace(/"/g, '\\"')
    .replace(/\n/g, '\\n')
    .replace(/\r/g, '\\r')
    .replace(/\t/g, '\\t')
    .replace(CONTROL, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  return `"${escaped}"`;
}

// Lucene's reserved characters inside a `~` text search; `\` first so added escapes stay single.
const LUCENE_SPECIAL = /[\\+\-&|!(){}[\]^~*?:"/]/g;

/**
 * A text-search term (`text ~ …`): Lucene's operators escaped so the words are searched as
 * words (`a-b` is not "a and not b"), then quoted as a JQL string.
 * @example
 * jqlText('retry-after (429)') // '"retry\\\\-after \\\\(429\\\\)"'
 */
export function jqlText(value: string): string {
  return jqlString(value.replace(LUCENE_SPECIAL, (c) => `\\${c}`));
}

/** A caller's JQL split at its top-level `ORDER BY`. */
export interface JqlParts {
  /** The condition, trimmed; `''` when the query is only an ORDER BY. */
  where: string;
  /** What follows `ORDER BY`, trimmed, when there is one. */
  orderBy: string | undefined;
}

/**
 * Splits JQL at its top-level `ORDER BY` (outside strings and parentheses), and checks that its
 * strings are closed and its parentheses balanced: then `(where)` is one self-contained group,
 * and filters ANDed after it cannot be swallowed by an `OR` or an open string in it.
 * @returns the parts, or a message saying what is malformed
 */
export function splitJql(jql: string): JqlParts | { problem: string } {
  let depth = 0;
  let orderAt = -1;
  for (let i = 0; i < jql.length; i++) {
    const c = jql[i]!;
    if (c === '"' || c === "'") {
      const end = closingQuote(jql, i);
      if (end === -1) return { problem: `a quoted string opened at character ${i + 1} is not closed` };
      i = end;
    } else if (c === '(') depth++;
    else if (c === ')') {
      depth--;
      if (depth < 0) return { problem: `the ')' at character ${i + 1} has no matching '('` };
    } else if (
      depth === 0 &&
      orderAt === -1 &&
      /^order\s+by\b/i.test(jql.slice(i)) &&
      /(^|[\s)])$/.test(jql.slice(0, i))
    ) {
      orderAt = i;
    }
  }
  if (depth > 0) return { problem: `${depth} '(' ${depth === 1 ? 'is' : 'are'} not closed` };
  if (orderAt === -1) return { where: jql.trim(), orderBy: undefined };
  const rest = jql.slice(orderAt).replace(/^order\s+by/i, '');
  return { where: jql.slice(0, orderAt).trim(), orderBy: rest.trim() };
}

function closingQuote(text: string, start: number): number {
  const quote = text[start];
  for (let i = start + 1; i < text.length; i++) {
    if (text[i] === '\\') i++;
    else if (text[i] === quote) return i;
  }
  return -1;
}

/** The structured filters of `search_issues`. Each given filter narrows the search (AND). */
export interface IssueFilters {
  project?: string | string[];
  status?: string | string[];
  issueType?: string | string[];
  priority?: string | string[];
  /** An accountId, `'currentUser()'` or `'unassigned'`. */
  assignee?: string;
  /** An accountId or `'currentUser()'`. */
  reporter?: string;
  /** Every label must be present. */
  labels?: string[];
  text?: string;
  createdAfter?: string;
  createdBefore?: string;
  updatedAfter?: string;
  updatedBefore?: string;
}

/** One ORDER BY item; the field name is checked by the input schema before it gets here. */
export interface JqlOrder {
  field: string;
  direction?: 'ASC' | 'DESC';
}

function oneOrMany(field: string, value: string | string[]): string {
  const values = Array.isArray(value) ? value : [value];
  return values.length === 1
    ? `${field} = ${jqlString(values[0]!)}`
    : `${field} IN (${values.map(jqlString).join(', ')})`;
}

function person(field: string, value: string): string {
  if (value === 'currentUser()') return `${field} = currentUser()`;
  if (value === 'unassigned') return `${field} IS EMPTY`;
  return `${field} = ${jqlString(value)}`;
}

/** The JQL clauses of the given filters, in a fixed order, every value quoted. */
export function filterClauses(filters: IssueFilters): string[] {
  const clauses: string[] = [];
  const many = (field: string, value: string | string[] | undefined) => {
    if (value !== undefined && (!Array.isArray(value) || value.length > 0))
      clauses.push(oneOrMany(field, value));
  };
  many('project', filters.project);
  many('issuetype', filters.issueType);
  many('status', filters.status);
  many('priority', filters.priority);
  if (filters.assignee !== undefined) clauses.push(person('assignee', filters.assignee));
  if (filters.reporter !== undefined) clauses.push(person('reporter', filters.reporter));
  for (const label of filters.labels ?? []) clauses.push(`labels = ${jqlString(label)}`);
  if (filters.text !== undefined) clauses.push(`text ~ ${jqlText(filters.text)}`);
  if (filters.createdAfter !== undefined) clauses.push(`created >= ${jqlString(filters.createdAfter)}`);
  if (filters.createdBefore !== undefined) clauses.push(`created < ${jqlString(filters.createdBefore)}`);
  if (filters.updatedAfter !== undefined) clauses.push(`updated >= ${jqlString(filters.updatedAfter)}`);
  if (filters.updatedBefore !== undefined) clauses.push(`updated < ${jqlString(filters.updatedBefore)}`);
  return clauses;
}

/**
 * The JQL `search_issues` sends: the caller's JQL as one parenthesised group (when given),
 * AND each filter, then ORDER BY (the structured one, else the caller's).
 * @throws TypeError when the caller's JQL is malformed (see {@link splitJql})
 * @example
 * buildSearchJql({ jql: 'priority = High OR labels = urgent', filters: { project: 'PROJ' } })
 * // '(priority = High OR labels = urgent) AND project = "PROJ"'
 */
export function buildSearchJql(input: { jql?: string; filters: IssueFilters; orderBy?: JqlOrder[] }): string {
  const parts = input.jql === undefined ? { where: '', orderBy: undefined } : splitJql(input.jql);
  if ('problem' in parts) throw new TypeError(`jql is malformed: ${parts.problem}`);
  const clauses = filterClauses(input.filters);
  const conditions =
    parts.where === '' ? clauses : clauses.length === 0 ? [parts.where] : [`(${parts.where})`, ...clauses];
  const orderBy =
    input.orderBy && input.orderBy.length > 0
      ? input.orderBy.map((o) => `${o.field} ${o.direction ?? 'ASC'}`).join(', ')
      : parts.orderBy;
  const where = conditions.join(' AND ');
  if (orderBy === undefined || orderBy === '') return where;
  return where === '' ? `ORDER BY ${orderBy}` : `${where} ORDER BY ${orderBy}`;
}
