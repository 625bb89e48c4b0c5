import { describe, expect, it } from 'vitest';
import { parseLinkHeader, relativeToBase } from './link-header.js';

describe('parseLinkHeader', () => {
  it("reads GitHub's Link header by relation", () => {
    const links = parseLinkHeader(
      '<https://api.github.com/repositories/1300192/issues?page=2>; rel="next", ' +
        '<https://api.github.com/repositories/1300192/issues?page=515>; rel="last"',
    );
    expect(Object.fromEntries(links)).toEqual({
      next: 'https://api.github.com/repositories/1300192/issues?page=2',
      last: 'https://api.github.com/repositories/1300192/issues?page=515',
    });
  });

  it('takes unquoted and space-separated relations, repeated header lines, and commas inside URLs', () => {
    const links = parseLinkHeader([
      '<https://x/a?q=a,b&page=3>; rel=next',
      '<https://x/a?page=1>; title="t"; rel="first prev"',
    ]);
    expect(links.get('next')).toBe('https://x/a?q=a,b&page=3');
    expect(links.get('first')).toBe('https://x/a?page=1');
    expect(links.get('prev')).toBe('https://x/a?page=1');
  });

  it('is empty for a missing or malformed header', () => {
    expect(parseLinkHeader(undefined).size).toBe(0);
    expect(parseLinkHeader('').size).toBe(0);
    expect(parseLinkHeader('https://x/a; rel="next"').size).toBe(0);
    expect(parseLinkHeader('<https://x/a>; title="no rel"').size).toBe(0);
  });
});

describe('relativeToBase', () => {
  it('keeps the path and query of a link on github.com', () => {
    expect(
      relativeToBase('https://api.github.com/search/repositories?q=cli&page=2', 'https://api.github.com'),
    ).toBe('/search/repositories?q=cli&page=2');
  });

  it("takes Enterprise's base path off the front, since the client adds it back", () => {
    expect(
      relativeToBase('https://ghe.example/api/v3/repos/a/b/issues?page=2', 'https://ghe.example/api/v3/'),
    ).toBe('/repos/a/b/issues?page=2');
    // Only a whole segment is a base path: /api/v30 is not under /api/v3.
    expect(relativeToBase('https://ghe.example/api/v30/x?page=2', 'https://ghe.example/api/v3')).toBe(
      '/api/v30/x?page=2',
    );
  });

  it("ignores the link's origin: the next page goes where the configured base points", () => {
    expect(
      relativeToBase(
        'https://internal-name:8443/api/v3/repos/a/b/pulls?page=4',
        'https://ghe.example/api/v3',
      ),
    ).toBe('/repos/a/b/pulls?page=4');
  });
});
