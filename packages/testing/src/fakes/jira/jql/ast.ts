/** The JQL subset the fake Jira understands, as a tree. */

export type JqlOperator =
  | '='
  | '!='
  | '~'
  | '!~'
  | '>'
  | '>='
  | '<'
  | '<='
  | 'in'
  | 'not in'
  | 'is'
  | 'is not';

/** One value on the right of an operator. */
export type JqlOperand =
  /** A quoted string (escapes resolved) or a bare word. */
  | { kind: 'value'; value: string; quoted: boolean }
  /** A function call such as `currentUser()`. */
  | { kind: 'function'; name: string; args: string[] }
  /** `EMPTY` or `NULL`. */
  | { kind: 'empty' };

export interface JqlClause {
  kind: 'clause';
  /** The field as written, quotes removed (`project`, `cf[10010]`, `Story Points`). */
  field: string;
  operator: JqlOperator;
  /** One operand, or several for `in` / `not in`. */
  operands: JqlOperand[];
}

export type JqlNode =
  | JqlClause
  | { kind: 'and'; children: JqlNode[] }
  | { kind: 'or'; children: JqlNode[] }
  | { kind: 'not'; child: JqlNode };

export interface JqlOrderBy {
  field: string;
  direction: 'asc' | 'desc';
}

/** A whole query: an optional condition and an optional ORDER BY. */
export interface JqlQuery {
  where: JqlNode | undefined;
  orderBy: JqlOrderBy[];
}

/** A query the parser rejects, with a message in Jira's words. */
export class JqlSyntaxError extends Error {
  constructor(
    message: string,
    /** 0-based offset of the offending character. */
    readonly position: number,
  ) {
    super(`Error in the JQL Query: ${message} (line 1, character ${position + 1})`);
    this.name = 'JqlSyntaxError';
  }
}
