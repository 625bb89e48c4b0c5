import { describe, expect, it } from 'vitest';
import { compilePathPattern } from './route-pattern.js';

describe('compilePathPattern', () => {
  it('matches literal paths exactly, trailing slash included', () => {
    const p = compilePathPattern('/rate_limit');
    expect(p.match('/rate_limit')).toEqual({});
    expect(p.match('/rate_limit/')).toBeUndefined();
    expect(p.match('/rate-limit')).toBeUndefined();
  });

  it('captures :param segments, percent-decoded', () => {
    const p = compilePathPattern('/repos/:owner/:repo');
    expect(p.match('/repos/acme/api')).toEqual({ owner: 'acme', repo: 'api' });
    expect(p.match('/repos/acme%20corp/a%2Fb')).toEqual({ owner: 'acme corp', repo: 'a/b' });
    expect(p.match('/repos/acme')).toBeUndefined();
    expect(p.match('/repos/acme/api/issues')).toBeUndefined();
    expect(p.match('/repos//api')).toBeUndefined();
  });

  it('treats regex characters literally', () => {
    const p = compilePathPattern('/v1.0/items(+)');
    expect(p.match('/v1.0/items(+)')).toEqual({});
    expect(p.match('/v1x0/items(+)')).toBeUndefined();
  });

  it('captures a param followed by literal text in the same segment', () => {
    expect(compilePathPattern('/files/:name.json').match('/files/report.json')).toEqual({ name: 'report' });
  });

  it('matches any rest with a trailing /*, with or without the slash', () => {
    const p = compilePathPattern('/files/*');
    expect(p.match('/files')).toEqual({ '*': '' });
    expect(p.match('/files/')).toEqual({ '*': '' });
    expect(p.match('/files/a/b.txt')).toEqual({ '*': 'a/b.txt' });
    expect(p.match('/filesystem')).toBeUndefined();
  });

  it('matches a prefix with a trailing * after other text', () => {
    const p = compilePathPattern('/api/v*');
    expect(p.match('/api/v2/users')).toEqual({ '*': '2/users' });
    expect(p.match('/api/x')).toBeUndefined();
  });

  it('matches every path with * alone', () => {
    const p = compilePathPattern('*');
    expect(p.match('/')).toEqual({ '*': '/' });
    expect(p.match('/a/b')).toEqual({ '*': '/a/b' });
  });

  it('keeps a param that is not valid percent-encoding as sent', () => {
    expect(compilePathPattern('/u/:id').match('/u/%E0%A4%A')).toEqual({ id: '%E0%A4%A' });
  });

  it('rejects a path that does not start with a slash', () => {
    expect(() => compilePathPattern('repos/:owner')).toThrow(TypeError);
  });
});
