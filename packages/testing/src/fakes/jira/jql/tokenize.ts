import { JqlSyntaxError } from './ast.js';

export type JqlToken =
  | { kind: 'string'; value: string; at: number }
  | { kind: 'word'; value: string; at: number }
  | { kind: 'operator'; value: string; at: number }
  | { kind: 'lparen' | 'rparen' | 'comma'; value: string; at: number };

const OPERATORS = ['!=', '!~', '>=', '<=', '=', '~', '>', '<'];
// Characters a bare word may hold; anything else must be quoted (as in Jira).
const WORD_CHAR = /[A-Za-z0-9_.\-/@:[\]+*$#]/;
const ESCAPES: Record<string, string> = {
  '"': '"',
  "'": "'",
  '\\': '\\',
  n: '\n',
  t: '\t',
  r: '\r',
  ' ': ' ',
};

/**
 * Splits JQL into tokens. Strings take `"…"` or `'…'` with Jira's escapes (`\"`, `\'`, `\\`,
 * `\n`, `\t`, `\r`, `\ `, `\uXXXX`); an unknown escape, an unterminated string or a stray
 * character is a {@link JqlSyntaxError}, as Jira reports them.
 */
export function tokenizeJql(text: string): JqlToken[] {
  const tokens: JqlToken[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (c === '"' || c === "'") {
      const { value, end } = readString(text, i);
      tokens.push({ kind: 'string', value, at: i });
      i = end;
      continue;
    }
    if (c === '(' || c === ')' || c === ',') {
      tokens.push({ kind: c === '(' ? 'lparen' : c === ')' ? 'rparen' : 'comma', value: c, at: i });
      i++;
      continue;
    }
    const operator = OPERATORS.find((op) => text.startsWith(op, i));
    if (operator) {
      tokens.push({ kind: 'operator', value: operator, at: i });
      i += operator.length;
      continue;
    }
    if (WORD_CHAR.test(c)) {
      const start = i;
      while (i < text.length && WORD_CHAR.test(text[i]!)) i++;
      tokens.push({ kind: 'word', value: text.slice(start, i), at: start });
      continue;
    }
    throw new JqlSyntaxError(
      `The character '${c}' is a reserved JQL character. You must enclose it in a string or use the escape '\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}' instead.`,
      i,
    );
  }
  return tokens;
}

function readString(text: string, start: number): { value: string; end: number } {
  const quote = text[start]!;
  let value = '';
  let i = start + 1;
  while (i < text.length) {
    const c = text[i]!;
    if (c === quote) return { value, end: i + 1 };
    if (c === '\\') {
      const next = text[i + 1];
      if (next === 'u' && /^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) {
        value += String.fromCharCode(Number.parseInt(text.slice(i + 2, i + 6), 16));
        i += 6;
        continue;
      }
      const resolved = next === undefined ? undefined : ESCAPES[next];
      if (resolved === undefined) {
        throw new JqlSyntaxError(`Illegal escape sequence '\\${next ?? ''}' in the string.`, i);
      }
      value += resolved;
      i += 2;
      continue;
    }
    value += c;
    i++;
  }
  throw new JqlSyntaxError(`The quoted string '${text.slice(start + 1)}' has not been completed.`, start);
}
