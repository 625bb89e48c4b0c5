import { describe, expect, it } from 'vitest';
import { encodePathValue, fillPath, parsePathTemplate, templateParams } from './path-template.js';

describe('path templates', () => {
  it('reads parameters anywhere in a segment and fills them percent-encoded', () => {
    const { parts, issues } = parsePathTemplate('/repos/{owner}/{repo}/files/{name}.json');
    expect(issues).toEqual([]);
    expect(templateParams(parts)).toEqual(['owner', 'repo', 'name']);
    expect(fillPath(parts, { owner: 'a b', repo: 'x/y', name: 'ü?#' })).toBe(
      '/repos/a%20b/x%2Fy/files/%C3%BC%3F%23.json',
    );
  });

  it('a value cannot climb the path', () => {
    expect(encodePathValue('..')).toBe('%2E%2E');
    expect(encodePathValue('.')).toBe('%2E');
    expect(encodePathValue('..a')).toBe('..a');
  });

  it('refuses what is not a plain path', () => {
    const messages = (template: string) => parsePathTemplate(template).issues.map((i) => i.message);
    expect(messages('items/{id}')).toEqual(['must start with /']);
    expect(messages('//evil/{id}')).toEqual(['must not start with //']);
    expect(messages('/a/{id}/{id}')).toEqual(['{id} appears twice']);
    expect(messages('/a/{1x}')).toEqual(['{1x} is not a parameter name']);
    expect(messages('/a/{id')).toEqual(['has a { or } outside a {parameter}']);
    expect(messages('/a?b={id}')[0]).toContain('must not hold ?');
    expect(messages('/a/%2e%2E/{id}')).toEqual(['must not hold . or .. segments']);
  });
});
