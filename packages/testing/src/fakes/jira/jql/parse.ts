import {
  type JqlClause,
  type JqlNode,
  type JqlOperand,
  type JqlOperator,
  type JqlOrderBy,
  type JqlQuery,
  JqlSyntaxError,
} from './ast.js';
import { type JqlToken, tokenizeJql } from './tokenize.js';

const KEYWORDS = new Set(['and', 'or', 'not', 'in', 'is', 'empty', 'null', 'order', 'by', 'asc', 'desc']);

/**
 * Parses the JQL subset the fake understands:
 * `clause (AND|OR clause)*` with `NOT` and parentheses, clauses `field op value`,
 * `field [NOT] IN (v, …)`, `field IS [NOT] EMPTY|NULL`, values quoted, bare or `fn()`, and an
 * optional `ORDER BY field [ASC|DESC], …`. Anything else is a {@link JqlSyntaxError}.
 * @example
 * parseJql('project = "PROJ" AND labels IN (a, b) ORDER BY created DESC')
 */
export function parseJql(text: string): JqlQuery {
  return new Parser(tokenizeJql(text), text.length).query();
}

class Parser {
  #i = 0;
  constructor(
    private readonly tokens: JqlToken[],
    private readonly length: number,
  ) {}

  query(): JqlQuery {
    const where = this.#peekKeyword('order') || this.#done() ? undefined : this.#or();
    const orderBy = this.#peekKeyword('order') ? this.#orderBy() : [];
    if (!this.#done()) {
      const token = this.#peek()!;
      throw new JqlSyntaxError(`Expecting either 'OR' or 'AND' but got '${token.value}'.`, token.at);
    }
    return { where, orderBy };
  }

  #or(): JqlNode {
    const children = [this.#and()];
    while (this.#takeKeyword('or')) children.push(this.#and());
    return children.length === 1 ? children[0]! : { kind: 'or', children };
  }

  #and(): JqlNode {
    const children = [this.#unary()];
    while (this.#takeKeyword('and')) children.push(this.#unary());
    return children.length === 1 ? children[0]! : { kind: 'and', children };
  }

  #unary(): JqlNode {
    if (this.#takeKeyword('not')) return { kind: 'not', child: this.#unary() };
    if (this.#peek()?.kind === 'lparen') {
      this.#i++;
      const inner = this.#or();
      this.#expect('rparen', "')'");
      return inner;
    }
    return this.#clause();
  }

  #clause(): JqlClause {
    const fieldToken = this.#peek();
    if (!fieldToken || (fieldToken.kind !== 'word' && fieldToken.kind !== 'string')) {
      throw this.#unexpected('a field name');
    }
    if (fieldToken.kind === 'word' && KEYWORDS.has(fieldToken.value.toLowerCase())) {
      throw this.#unexpected('a field name');
    }
    this.#i++;
    const field = fieldToken.value;
    const operator = this.#operator();
    if (operator === 'in' || operator === 'not in')
      return { kind: 'clause', field, operator, operands: this.#list() };
    if (operator === 'is' || operator === 'is not') {
      if (!(this.#takeKeyword('empty') || this.#takeKeyword('null')))
        throw this.#unexpected("'EMPTY' or 'NULL'");
      return { kind: 'clause', field, operator, operands: [{ kind: 'empty' }] };
    }
    return { kind: 'clause', field, operator, operands: [this.#operand()] };
  }

  #operator(): JqlOperator {
    const token = this.#peek();
    if (token?.kind === 'operator') {
      this.#i++;
      return token.value as JqlOperator;
    }
    if (this.#takeKeyword('in')) return 'in';
    if (this.#takeKeyword('is')) return this.#takeKeyword('not') ? 'is not' : 'is';
    if (this.#peekKeyword('not')) {
      this.#i++;
      if (this.#takeKeyword('in')) return 'not in';
      throw this.#unexpected("'IN'");
    }
    throw this.#unexpected('an operator');
  }

  #list(): JqlOperand[] {
    this.#expect('lparen', "'('");
    const operands = [this.#operand()];
    while (this.#peek()?.kind === 'comma') {
      this.#i++;
      operands.push(this.#operand());
    }
    this.#expect('rparen', "')'");
    return operands;
  }

  #operand(): JqlOperand {
    const token = this.#peek();
    if (token?.kind === 'string') {
      this.#i++;
      return { kind: 'value', value: token.value, quoted: true };
    }
    if (token?.kind !== 'word' || KEYWORDS.has(token.value.toLowerCase())) {
      if (token?.kind === 'word' && ['empty', 'null'].includes(token.value.toLowerCase())) {
        this.#i++;
        return { kind: 'empty' };
      }
      throw this.#unexpected('a value');
    }
    this.#i++;
    if (this.#peek()?.kind !== 'lparen') return { kind: 'value', value: token.value, quoted: false };
    this.#i++;
    const args: string[] = [];
    while (this.#peek() && this.#peek()!.kind !== 'rparen') {
      const arg = this.#peek()!;
      if (arg.kind !== 'string' && arg.kind !== 'word') throw this.#unexpected('a function argument');
      args.push(arg.value);
      this.#i++;
      if (this.#peek()?.kind === 'comma') this.#i++;
    }
    this.#expect('rparen', "')'");
    return { kind: 'function', name: token.value, args };
  }

  #orderBy(): JqlOrderBy[] {
    this.#i++;
    if (!this.#takeKeyword('by')) throw this.#unexpected("'BY'");
    const items = [this.#orderItem()];
    while (this.#peek()?.kind === 'comma') {
      this.#i++;
      items.push(this.#orderItem());
    }
    return items;
  }

  #orderItem(): JqlOrderBy {
    const token = this.#peek();
    if (!token || (token.kind !== 'word' && token.kind !== 'string')) throw this.#unexpected('a field name');
    this.#i++;
    if (this.#takeKeyword('desc')) return { field: token.value, direction: 'desc' };
    this.#takeKeyword('asc');
    return { field: token.value, direction: 'asc' };
  }

  #expect(kind: JqlToken['kind'], what: string): void {
    if (this.#peek()?.kind !== kind) throw this.#unexpected(what);
    this.#i++;
  }

  #peek(): JqlToken | undefined {
    return this.tokens[this.#i];
  }

  #done(): boolean {
    return this.#i >= this.tokens.length;
  }

  #peekKeyword(word: string): boolean {
    const token = this.#peek();
    return token?.kind === 'word' && token.value.toLowerCase() === word;
  }

  #takeKeyword(word: string): boolean {
    if (!this.#peekKeyword(word)) return false;
    this.#i++;
    return true;
  }

  #unexpected(expected: string): JqlSyntaxError {
    const token = this.#peek();
    if (!token)
      return new JqlSyntaxError(`Expecting ${expected} but reached the end of the query.`, this.length);
    return new JqlSyntaxError(`Expecting ${expected} but got '${token.value}'.`, token.at);
  }
}
