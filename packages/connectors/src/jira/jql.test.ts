import { type JqlClause, type JqlNode, parseJql } from '@patchbay/testing';
import { describe, expect, it } from 'vitest';
import { buildSearchJql, filterClauses, jqlString, jqlText, splitJql } from './jql.js';

const HOSTILE = [
  'x" OR project = SECRET OR "',
  'x\\" OR project = SECRET OR \\"',
  'x\\',
  '\\',
  'a\nOR project = SECRET',
  "x' OR project = SECRET OR '",
  'x") OR (project = SECRET',
  'x" ORDER BY key --',
  'tab\there\r\u0000\u001f\u2028end',
  '"',
  '',
];

/** The one clause a query must be, with the parser the fake Jira uses. */
function onlyClause(jql: string): JqlClause {
  const { where, orderBy } = parseJql(jql);
  expect(orderBy).toEqual([]);
  expect(where?.kind).toBe('clause');
  return where as JqlClause;
}

function clauses(node: JqlNode | undefined): JqlClause[] {
  if (!node) return [];
  if (node.kind === 'clause') return [node];
  if (node.kind === 'not') return clauses(node.child);
  return node.children.flatMap(clauses);
}

describe('jqlString', () => {
  it('quotes and escapes quotes, backslashes and control characters', () => {
    expect(jqlString('In Progress')).toBe('"In Progress"');
    expect(jqlString('x" OR project = SECRET OR "')).toBe(String.raw`"x\" OR project = SECRET OR \""`);
    expect(jqlString('a\\b')).toBe(String.raw`"a\\b"`);
    expect(jqlString('line\nbreak\r\ttab')).toBe(String.raw`"line\nbreak\r\ttab"`);
    expect(jqlString('nul\u0000 sep\u2028')).toBe(String.raw`"nul\u0000 sep\u2028"`);
  });

  it.each(HOSTILE)('keeps %j one literal value, whatever it holds', (value) => {
    const clause = onlyClause(`labels = ${jqlString(value)}`);
    expect(clause).toEqual({
      kind: 'clause',
      field: 'labels',
      operator: '=',
      operands: [{ kind: 'value', value, quoted: true }],
    });
  });
});

describe('jqlText', () => {
  it('escapes Lucene operators so text search looks for the words as written', () => {
    expect(jqlText('retry-after (429)')).toBe(String.raw`"retry\\-after \\(429\\)"`);
    const clause = onlyClause(`text ~ ${jqlText('a+b && c? "d"')}`);
    expect(clause.operands).toEqual([
      { kind: 'value', value: String.raw`a\+b \&\& c\? \"d\"`, quoted: true },
    ]);
  });

  it.each(HOSTILE)('keeps %j one text term', (value) => {
    const clause = onlyClause(`text ~ ${jqlText(value)}`);
    expect(clause.operator).toBe('~');
    expect(clause.operands).toHaveLength(1);
  });
});

describe('filterClauses', () => {
  it('turns each filter into one quoted clause, lists into IN, people into accountIds or keywords', () => {
    expect(
      filterClauses({
        project: 'PROJ',
        issueType: ['Bug', 'Story'],
        status: 'In Progress',
        priority: ['High'],
        assignee: 'unassigned',
        reporter: 'currentUser()',
        labels: ['backend', 'urgent'],
        text: 'breaker',
        createdAfter: '2024-01-01',
        createdBefore: '2024-02-01 10:00',
        updatedAfter: '-7d',
        updatedBefore: '2024-03-01',
      }),
    ).toEqual([
      'project = "PROJ"',
      'issuetype IN ("Bug", "Story")',
      'status = "In Progress"',
      'priority = "High"',
      'assignee IS EMPTY',
      'reporter = currentUser()',
      'labels = "backend"',
      'labels = "urgent"',
      'text ~ "breaker"',
      'created >= "2024-01-01"',
      'created < "2024-02-01 10:00"',
      'updated >= "-7d"',
      'updated < "2024-03-01"',
    ]);
    expect(filterClauses({ assignee: '5b10a2844c20165700ede21g', status: [] })).toEqual([
      'assignee = "5b10a2844c20165700ede21g"',
    ]);
  });

  it('never lets a hostile value add a clause: every filter stays one clause of its own field', () => {
    const hostile = 'x" OR project = SECRET OR "';
    const jql = buildSearchJql({
      filters: {
        project: hostile,
        status: [hostile, 'Done'],
        issueType: hostile,
        priority: hostile,
        assignee: hostile,
        reporter: hostile,
        labels: [hostile, 'x\\'],
        text: hostile,
        createdAfter: hostile,
      },
    });
    const parsed = parseJql(jql);
    expect(parsed.orderBy).toEqual([]);
    expect(parsed.where?.kind).toBe('and');
    const all = clauses(parsed.where);
    expect(all.map((c) => c.field)).toEqual([
      'project',
      'issuetype',
      'status',
      'priority',
      'assignee',
      'reporter',
      'labels',
      'labels',
      'text',
      'created',
    ]);
    expect(all.filter((c) => c.field === 'project')).toEqual([
      {
        kind: 'clause',
        field: 'project',
        operator: '=',
        operands: [{ kind: 'value', value: hostile, quoted: true }],
      },
    ]);
    expect(JSON.stringify(parsed)).not.toContain('"value":"SECRET"');
  });
});

describe('splitJql', () => {
  it('splits at the top-level ORDER BY only', () => {
    expect(splitJql('project = PROJ order by created DESC')).toEqual({
      where: 'project = PROJ',
      orderBy: 'created DESC',
    });
    expect(splitJql('summary ~ "order by" AND (labels = a)')).toEqual({
      where: 'summary ~ "order by" AND (labels = a)',
      orderBy: undefined,
    });
    expect(splitJql('border = 1 ORDER BY key')).toEqual({ where: 'border = 1', orderBy: 'key' });
    expect(splitJql('ORDER BY updated')).toEqual({ where: '', orderBy: 'updated' });
  });

  it('reports unclosed strings and unbalanced parentheses', () => {
    expect(splitJql('summary ~ "open')).toEqual({
      problem: 'a quoted string opened at character 11 is not closed',
    });
    expect(splitJql(String.raw`summary ~ "a\"`)).toEqual({
      problem: 'a quoted string opened at character 11 is not closed',
    });
    expect(splitJql('project = A) OR (project = B')).toEqual({
      problem: "the ')' at character 12 has no matching '('",
    });
    expect(splitJql('((project = A)')).toEqual({ problem: "1 '(' is not closed" });
  });
});

describe('buildSearchJql', () => {
  it("wraps the caller's JQL in parentheses so an OR in it cannot widen the filters", () => {
    const jql = buildSearchJql({ jql: 'priority = High OR labels = urgent', filters: { project: 'PROJ' } });
    expect(jql).toBe('(priority = High OR labels = urgent) AND project = "PROJ"');
    const top = parseJql(jql).where;
    expect(top).toMatchObject({
      kind: 'and',
      children: [{ kind: 'or' }, { kind: 'clause', field: 'project' }],
    });
  });

  it("keeps the caller's ORDER BY after the filters, unless a structured orderBy replaces it", () => {
    expect(buildSearchJql({ jql: 'labels = a ORDER BY created DESC', filters: { status: 'Done' } })).toBe(
      '(labels = a) AND status = "Done" ORDER BY created DESC',
    );
    expect(
      buildSearchJql({
        jql: 'labels = a ORDER BY created DESC',
        filters: {},
        orderBy: [{ field: 'priority', direction: 'DESC' }, { field: 'key' }],
      }),
    ).toBe('labels = a ORDER BY priority DESC, key ASC');
    expect(buildSearchJql({ jql: 'ORDER BY key', filters: { project: 'MOB' } })).toBe(
      'project = "MOB" ORDER BY key',
    );
  });

  it('refuses malformed caller JQL instead of sending a query whose grouping it cannot vouch for', () => {
    expect(() =>
      buildSearchJql({ jql: 'labels = a) OR (project = SECRET', filters: { project: 'PROJ' } }),
    ).toThrow(/jql is malformed: the '\)' at character 11 has no matching '\('/);
  });
});
