import { describe, expect, it } from 'vitest';
import { JqlSyntaxError } from './ast.js';
import { parseJql } from './parse.js';

describe('parseJql (the fake Jira’s JQL subset)', () => {
  it('reads the shape the connector generates: quoted values, IN lists, ~, dates and ORDER BY', () => {
    const query = parseJql(
      '(priority = High OR labels = urgent) AND project = "PROJ" AND status IN ("To Do", "In Review") AND text ~ "retry\\\\-after" AND created >= "2024-01-01" ORDER BY created DESC, key',
    );
    expect(query.orderBy).toEqual([
      { field: 'created', direction: 'desc' },
      { field: 'key', direction: 'asc' },
    ]);
    expect(query.where).toEqual({
      kind: 'and',
      children: [
        {
          kind: 'or',
          children: [
            {
              kind: 'clause',
              field: 'priority',
              operator: '=',
              operands: [{ kind: 'value', value: 'High', quoted: false }],
            },
            {
              kind: 'clause',
              field: 'labels',
              operator: '=',
              operands: [{ kind: 'value', value: 'urgent', quoted: false }],
            },
          ],
        },
        {
          kind: 'clause',
          field: 'project',
          operator: '=',
          operands: [{ kind: 'value', value: 'PROJ', quoted: true }],
        },
        {
          kind: 'clause',
          field: 'status',
          operator: 'in',
          operands: [
            { kind: 'value', value: 'To Do', quoted: true },
            { kind: 'value', value: 'In Review', quoted: true },
          ],
        },
        {
          kind: 'clause',
          field: 'text',
          operator: '~',
          operands: [{ kind: 'value', value: 'retry\\-after', quoted: true }],
        },
        {
          kind: 'clause',
          field: 'created',
          operator: '>=',
          operands: [{ kind: 'value', value: '2024-01-01', quoted: true }],
        },
      ],
    });
  });

  it("resolves Jira's string escapes into the literal value", () => {
    const query = parseJql(String.raw`labels = "a\"b\\c\nd\te\u00e9 f'g" AND summary ~ 'it\'s'`);
    const [labels, summary] = (query.where as { children: { operands: { value: string }[] }[] }).children;
    expect(labels!.operands[0]!.value).toBe('a"b\\c\nd\te\u00e9 f\'g');
    expect(summary!.operands[0]!.value).toBe("it's");
  });

  it('reads NOT, IS [NOT] EMPTY, NOT IN and function calls', () => {
    expect(
      parseJql('NOT assignee IS EMPTY AND reporter = currentUser() AND labels NOT IN (a, b)').where,
    ).toEqual({
      kind: 'and',
      children: [
        {
          kind: 'not',
          child: { kind: 'clause', field: 'assignee', operator: 'is', operands: [{ kind: 'empty' }] },
        },
        {
          kind: 'clause',
          field: 'reporter',
          operator: '=',
          operands: [{ kind: 'function', name: 'currentUser', args: [] }],
        },
        {
          kind: 'clause',
          field: 'labels',
          operator: 'not in',
          operands: [
            { kind: 'value', value: 'a', quoted: false },
            { kind: 'value', value: 'b', quoted: false },
          ],
        },
      ],
    });
    expect(parseJql('duedate IS NOT NULL').where).toMatchObject({ operator: 'is not' });
  });

  it('takes a query that is only an ORDER BY (the search route refuses it as unbounded)', () => {
    expect(parseJql('ORDER BY updated DESC')).toEqual({
      where: undefined,
      orderBy: [{ field: 'updated', direction: 'desc' }],
    });
  });

  it.each([
    ['an unterminated string', 'project = "PROJ', /quoted string 'PROJ' has not been completed/],
    ['a doubled operator', 'project = = PROJ', /Expecting a value but got '='/],
    ['a dangling OR', 'project = PROJ OR', /reached the end of the query/],
    ['an unclosed parenthesis', '(project = PROJ', /Expecting '\)'/],
    ['a stray closing parenthesis', 'project = PROJ)', /Expecting either 'OR' or 'AND' but got '\)'/],
    [
      'two clauses without AND',
      'project = PROJ status = Done',
      /Expecting either 'OR' or 'AND' but got 'status'/,
    ],
    ['an unknown escape', String.raw`summary ~ "a\qb"`, /Illegal escape sequence '\\q'/],
    ['a reserved character', 'summary ~ {x}', /The character '\{' is a reserved JQL character/],
    ['a stray backslash', String.raw`project = PROJ \ OR`, /The character '\\' is a reserved JQL character/],
    ['a keyword as a field', 'AND = x', /Expecting a field name but got 'AND'/],
    ['ORDER without BY', 'project = PROJ ORDER created', /Expecting 'BY'/],
  ])('refuses %s with a JqlSyntaxError in Jira’s words', (_case, jql, message) => {
    expect(() => parseJql(jql)).toThrow(JqlSyntaxError);
    expect(() => parseJql(jql)).toThrow(message);
  });

  it('reports where the problem is, counting from 1 as Jira does', () => {
    const error = (() => {
      try {
        parseJql('project = = PROJ');
      } catch (e) {
        return e as JqlSyntaxError;
      }
      throw new Error('expected a syntax error');
    })();
    expect(error.position).toBe(10);
    expect(error.message).toBe(
      "Error in the JQL Query: Expecting a value but got '='. (line 1, character 11)",
    );
  });
});
