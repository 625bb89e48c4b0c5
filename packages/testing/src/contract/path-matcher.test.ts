import { describe, expect, it } from 'vitest';
import { PathMatcher } from './path-matcher.js';

describe('PathMatcher', () => {
  const matcher = new PathMatcher([
    { template: '/repos/{owner}/{repo}/{resource}' },
    { template: '/repos/{owner}/{repo}/pulls' },
    { template: '/repos/{owner}/{repo}' },
    { template: '/repos/{owner}/{repo}/contents/{path}', multiSegment: new Set(['path']) },
    { template: '/repos/{owner}/{repo}/branches/{branch}/protection', multiSegment: new Set(['branch']) },
    { template: '/repos/{owner}/{repo}/compare/{base}...{head}' },
    { template: '/users/{username}' },
    { template: '/users/octocat' },
  ]);

  it('gives the template and the decoded values of its parameters', () => {
    expect(matcher.match('/repos/acme/api')).toEqual({
      template: '/repos/{owner}/{repo}',
      params: { owner: 'acme', repo: 'api' },
    });
    expect(matcher.match('/users/d%C3%A9j%C3%A0')).toEqual({
      template: '/users/{username}',
      params: { username: 'déjà' },
    });
  });

  it('prefers the most literal template when several match', () => {
    expect(matcher.match('/repos/acme/api/pulls')?.template).toBe('/repos/{owner}/{repo}/pulls');
    expect(matcher.match('/repos/acme/api/issues')?.template).toBe('/repos/{owner}/{repo}/{resource}');
    expect(matcher.match('/users/octocat')?.template).toBe('/users/octocat');
  });

  it('matches parameters inside a segment', () => {
    expect(matcher.match('/repos/acme/api/compare/main...feature')).toEqual({
      template: '/repos/{owner}/{repo}/compare/{base}...{head}',
      params: { owner: 'acme', repo: 'api', base: 'main', head: 'feature' },
    });
  });

  it('lets only multi-segment parameters take slashes', () => {
    expect(matcher.match('/repos/acme/api/contents/docs/guide/readme.md')).toEqual({
      template: '/repos/{owner}/{repo}/contents/{path}',
      params: { owner: 'acme', repo: 'api', path: 'docs/guide/readme.md' },
    });
    expect(matcher.match('/repos/acme/api/branches/release/2.x/protection')?.params).toEqual({
      owner: 'acme',
      repo: 'api',
      branch: 'release/2.x',
    });
    expect(matcher.match('/repos/acme/api/issues/5')).toBeUndefined();
  });

  it('matches nothing for an undocumented path, and honours a filter on templates', () => {
    expect(matcher.match('/orgs/acme')).toBeUndefined();
    expect(matcher.match('/repos/acme')).toBeUndefined();
    expect(matcher.match('/repos/acme/api/pulls', (template) => !template.endsWith('/pulls'))?.template).toBe(
      '/repos/{owner}/{repo}/{resource}',
    );
  });
});
