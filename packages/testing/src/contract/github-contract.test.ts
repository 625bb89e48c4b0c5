import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ApiContract } from './types.js';
import { vendorContract } from './vendor-contracts.js';

/** GitHub's own example of a search page, from the description (every field the schema requires). */
function documentedSearchPage(): {
  total_count: number;
  incomplete_results: boolean;
  items: Record<string, unknown>[];
} {
  const file = createRequire(import.meta.url).resolve('@octokit/openapi/generated/api.github.com.json');
  const description = JSON.parse(readFileSync(file, 'utf8'));
  return description.components.examples['repo-search-result-item-paginated'].value;
}

const createIssue = {
  method: 'POST',
  url: '/repos/acme/api/issues',
  headers: { 'content-type': 'application/json' },
};

describe("vendorContract('github')", () => {
  let github: ApiContract;
  let searchPage: ReturnType<typeof documentedSearchPage>;
  beforeAll(() => {
    github = vendorContract('github');
    searchPage = documentedSearchPage();
  });

  it('matches operations, preferring the literal template', () => {
    expect(github.match('GET', '/repos/acme/api/pulls')).toEqual({
      operationId: 'pulls/list',
      pathTemplate: '/repos/{owner}/{repo}/pulls',
    });
    expect(github.match('get', '/repos/acme/api/contents/docs/readme.md?ref=main')?.pathTemplate).toBe(
      '/repos/{owner}/{repo}/contents/{path}',
    );
    expect(github.match('GET', '/repos/acme/api/issuez')).toBeUndefined();
  });

  describe('requests', () => {
    it('accepts a repository search and an issue creation as documented', () => {
      const search = {
        method: 'GET',
        url: '/search/repositories?q=cli+language%3Ago&sort=stars&order=desc&per_page=30&page=2',
      };
      expect(github.checkRequest(search)).toEqual([]);
      const body = {
        title: 'Found a bug',
        body: "I'm having a problem with this.",
        assignees: ['octocat'],
        milestone: 1,
        labels: ['bug'],
      };
      expect(github.checkRequest({ ...createIssue, body })).toEqual([]);
      const vendorType = { ...createIssue.headers, 'content-type': 'application/vnd.github+json' };
      expect(github.checkRequest({ ...createIssue, headers: vendorType, body })).toEqual([]);
    });

    it('reports an undocumented query parameter and a value of the wrong type', () => {
      expect(
        github.checkRequest({ method: 'GET', url: '/search/repositories?q=cli&per_pag=30&page=two' }),
      ).toEqual([
        'GET /search/repositories: query parameter "per_pag" is not documented',
        'GET /search/repositories: query parameter "page": must be integer',
      ]);
      expect(github.checkRequest({ method: 'GET', url: '/search/repositories?q=cli&sort=best' })).toEqual([
        'GET /search/repositories: query parameter "sort": must be equal to one of the allowed values ("stars", "forks", "help-wanted-issues", "updated")',
      ]);
    });

    it('reports a missing required query parameter and a path parameter of the wrong type', () => {
      expect(github.checkRequest({ method: 'GET', url: '/search/repositories?per_page=5' })).toEqual([
        'GET /search/repositories: required query parameter "q" is missing',
      ]);
      expect(github.checkRequest({ method: 'GET', url: '/repos/acme/api/issues/first' })).toEqual([
        'GET /repos/{owner}/{repo}/issues/{issue_number}: path parameter "issue_number": must be integer',
      ]);
    });

    it('reports a body missing a required field or holding the wrong type', () => {
      expect(github.checkRequest({ ...createIssue, body: { body: 'no title' } })).toEqual([
        "POST /repos/{owner}/{repo}/issues request body: must have required property 'title'",
      ]);
      expect(github.checkRequest({ ...createIssue, body: { title: 'Bug', labels: [5] } })).toContain(
        'POST /repos/{owner}/{repo}/issues request body: /labels/0 must be string',
      );
      expect(github.checkRequest({ ...createIssue, url: '/repos/acme/api/issues', body: undefined })).toEqual(
        ['POST /repos/{owner}/{repo}/issues: request body is required but none was sent'],
      );
    });

    it('reports an undocumented path and an undocumented method', () => {
      expect(github.checkRequest({ method: 'GET', url: '/repos/acme/api/issuez' })).toEqual([
        'GET /repos/acme/api/issuez: no documented operation matches this path',
      ]);
      expect(github.checkRequest({ method: 'PUT', url: '/repos/acme/api' })).toEqual([
        'PUT /repos/acme/api: method PUT is not documented for /repos/{owner}/{repo} (documented: GET, DELETE, PATCH)',
      ]);
    });
  });

  describe('responses', () => {
    const search = { method: 'GET', url: '/search/repositories?q=cli' };

    it("accepts GitHub's documented search page, nullable fields set to null included", () => {
      expect(github.checkResponse(search, { status: 200, body: searchPage })).toEqual([]);
      const withNulls = structuredClone(searchPage);
      withNulls.items[0]!.description = null;
      withNulls.items[0]!.language = null;
      expect(
        github.checkResponse(search, {
          status: 200,
          headers: { 'content-type': 'application/json; charset=utf-8' },
          body: withNulls,
        }),
      ).toEqual([]);
    });

    it('reports a field of the wrong type and a missing required field, with their paths', () => {
      const broken = structuredClone(searchPage);
      broken.items[0]!.id = 'R_kgDOABC';
      delete broken.items[0]!.full_name;
      expect(github.checkResponse(search, { status: 200, body: broken })).toEqual([
        'GET /search/repositories response 200 body: /items/0/id must be integer',
        "GET /search/repositories response 200 body: /items/0 must have required property 'full_name'",
      ]);
      const notNullable = structuredClone(searchPage);
      notNullable.items[0]!.name = null;
      expect(github.checkResponse(search, { status: 200, body: notNullable })).toEqual([
        'GET /search/repositories response 200 body: /items/0/name must be string',
      ]);
    });

    it('reports an undocumented status and content type', () => {
      expect(github.checkResponse(search, { status: 418, body: {} })).toEqual([
        'GET /search/repositories response 418: status is not documented (documented: 200, 304, 422, 503)',
      ]);
      expect(
        github.checkResponse(search, {
          status: 200,
          headers: { 'content-type': 'text/html' },
          body: '<html>',
        }),
      ).toEqual([
        'GET /search/repositories response 200 content type: "text/html" is not documented (documented: application/json)',
      ]);
    });

    it('checks an error response against its own schema', () => {
      const validationFailed = {
        message: 'Validation Failed',
        errors: [{ resource: 'Search', field: 'q', code: 'missing' }],
        documentation_url: 'https://docs.github.com/rest',
      };
      expect(github.checkResponse(search, { status: 422, body: validationFailed })).toEqual([]);
      expect(github.checkResponse(search, { status: 422, body: { errors: 'q is missing' } })).not.toEqual([]);
    });
  });
});
