import type { FieldIssue } from '@patchbay/core';

/** One piece of a path template: literal text, or a parameter filled at call time. */
export type TemplatePart = { text: string } | { param: string };

const PARAM = /\{([^{}]*)\}/g;
const PARAM_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;
const DOT_SEGMENT = /^(?:\.|%2e){1,2}$/i;

/**
 * Reads `'/items/{id}/comments'` into parts. The literal text must be a plain path (starts with
 * `/`, no `//`, `?`, `#`, spaces, control characters, dot segments or stray braces); each
 * parameter a name, used once. Problems are reported on `path`.
 */
export function parsePathTemplate(template: string): { parts: TemplatePart[]; issues: FieldIssue[] } {
  const issues: FieldIssue[] = [];
  const parts: TemplatePart[] = [];
  const seen = new Set<string>();
  let last = 0;
  for (const match of template.matchAll(PARAM)) {
    if (match.index > last) parts.push({ text: template.slice(last, match.index) });
    const name = match[1] ?? '';
    if (!PARAM_NAME.test(name)) issues.push({ path: 'path', message: `{${name}} is not a parameter name` });
    else if (seen.has(name)) issues.push({ path: 'path', message: `{${name}} appears twice` });
    seen.add(name);
    parts.push({ param: name });
    last = match.index + match[0].length;
  }
  if (last < template.length) parts.push({ text: template.slice(last) });
  const literal = parts.map((p) => ('text' in p ? p.text : 'x')).join('');
  if (!template.startsWith('/')) issues.push({ path: 'path', message: 'must start with /' });
  if (literal.startsWith('//')) issues.push({ path: 'path', message: 'must not start with //' });
  if (/[{}]/.test(parts.map((p) => ('text' in p ? p.text : '')).join(''))) {
    issues.push({ path: 'path', message: 'has a { or } outside a {parameter}' });
  }
  if (/[?#\s\p{Cc}\\]/u.test(literal)) {
    issues.push({
      path: 'path',
      message: 'must not hold ?, #, \\, spaces or control characters (use query for parameters)',
    });
  }
  if (literal.split('/').some((segment) => DOT_SEGMENT.test(segment))) {
    issues.push({ path: 'path', message: 'must not hold . or .. segments' });
  }
  return { parts, issues };
}

/** The parameter names of a parsed template, in order. */
export function templateParams(parts: readonly TemplatePart[]): string[] {
  return parts.flatMap((p) => ('param' in p ? [p.param] : []));
}

/**
 * One path parameter's value as it goes into the path: percent-encoded (a `/` in a value stays
 * inside its segment), and a value of `.` or `..` encoded too, so no value can climb the path.
 */
export function encodePathValue(value: string): string {
  const encoded = encodeURIComponent(value);
  return encoded === '.' || encoded === '..' ? encoded.replaceAll('.', '%2E') : encoded;
}

/** The path with each parameter filled from `values`. */
export function fillPath(parts: readonly TemplatePart[], values: Readonly<Record<string, unknown>>): string {
  return parts.map((p) => ('text' in p ? p.text : encodePathValue(String(values[p.param])))).join('');
}
