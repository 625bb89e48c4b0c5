import { beforeAll, describe, expect, it } from 'vitest';
import type { ApiContract } from './types.js';
import { vendorContract } from './vendor-contracts.js';

const site = 'https://acme.atlassian.net';
const json = { 'content-type': 'application/json', authorization: 'Basic amlyYUBhY21lLmNvbTp0MGtlbg==' };

/** An Atlassian Document Format paragraph, as Jira v3 wants rich text. */
const adf = (text: string) => ({
  type: 'doc',
  version: 1,
  content: [{ type: 'paragraph', content: [{ type: 'text', text }] }],
});

const searchPage = {
  expand: 'names,schema',
  startAt: 0,
  maxResults: 50,
  total: 1,
  issues: [
    {
      expand: '',
      id: '10002',
      self: `${site}/rest/api/3/issue/10002`,
      key: 'OPS-1',
      fields: {
        summary: 'Main order flow broken',
        status: { name: 'In Progress', id: '3' },
        assignee: { accountId: '5b10a2844c20165700ede21g', displayName: 'Mia Krystof' },
        description: adf('Orders fail at checkout'),
      },
    },
  ],
};

describe("vendorContract('jira')", () => {
  let jira: ApiContract;
  beforeAll(() => {
    jira = vendorContract('jira');
  });

  it('matches operations, preferring the literal template', () => {
    expect(jira.match('GET', '/rest/api/3/issue/createmeta')).toEqual({
      operationId: 'getCreateIssueMeta',
      pathTemplate: '/rest/api/3/issue/createmeta',
    });
    expect(jira.match('GET', '/rest/api/3/issue/OPS-1')?.pathTemplate).toBe(
      '/rest/api/3/issue/{issueIdOrKey}',
    );
  });

  describe('requests', () => {
    it('accepts a JQL search, fields as repeated or comma-separated values', () => {
      const url = '/rest/api/3/search?jql=project%20%3D%20OPS%20ORDER%20BY%20created&startAt=0&maxResults=50';
      expect(
        jira.checkRequest({ method: 'GET', url: `${url}&fields=summary&fields=status`, headers: json }),
      ).toEqual([]);
      expect(
        jira.checkRequest({ method: 'GET', url: `${url}&fields=summary,status&validateQuery=warn` }),
      ).toEqual([]);
      const body = {
        jql: 'project = OPS',
        startAt: 0,
        maxResults: 15,
        fields: ['summary', 'status'],
        fieldsByKeys: false,
      };
      expect(jira.checkRequest({ method: 'POST', url: '/rest/api/3/search', headers: json, body })).toEqual(
        [],
      );
    });

    it('accepts an issue creation', () => {
      const body = {
        fields: {
          project: { key: 'OPS' },
          issuetype: { name: 'Bug' },
          summary: 'Checkout fails',
          description: adf('Steps...'),
        },
      };
      expect(
        jira.checkRequest({
          method: 'POST',
          url: '/rest/api/3/issue?updateHistory=true',
          headers: json,
          body,
        }),
      ).toEqual([]);
    });

    it('reports a wrong type, a value outside an enum and an undocumented query parameter', () => {
      expect(
        jira.checkRequest({
          method: 'GET',
          url: '/rest/api/3/search?jql=x&maxResults=fifty&validateQuery=maybe&limit=5',
        }),
      ).toEqual([
        'GET /rest/api/3/search: query parameter "maxResults": must be integer',
        'GET /rest/api/3/search: query parameter "validateQuery": must be equal to one of the allowed values ("strict", "warn", "none", "true", "false")',
        'GET /rest/api/3/search: query parameter "limit" is not documented',
      ]);
      const body = { jql: 'project = OPS', maxResults: '15' };
      expect(jira.checkRequest({ method: 'POST', url: '/rest/api/3/search', headers: json, body })).toEqual([
        'POST /rest/api/3/search request body: /maxResults must be integer',
      ]);
    });

    it('reports a body missing required fields, and an undocumented content type', () => {
      const link = { type: { name: 'Duplicate' }, inwardIssue: { key: 'OPS-1' } };
      expect(
        jira.checkRequest({ method: 'POST', url: '/rest/api/3/issueLink', headers: json, body: link }),
      ).toEqual(["POST /rest/api/3/issueLink request body: must have required property 'outwardIssue'"]);
      const form = {
        method: 'POST',
        url: '/rest/api/3/issueLink',
        headers: { 'content-type': 'text/csv' },
        body: 'a,b',
      };
      expect(jira.checkRequest(form)).toEqual([
        'POST /rest/api/3/issueLink: request content type "text/csv" is not documented (documented: application/json)',
      ]);
    });

    it('reports a path of the old v2 API as undocumented', () => {
      expect(jira.checkRequest({ method: 'GET', url: '/rest/api/2/search?jql=x' })).toEqual([
        'GET /rest/api/2/search: no documented operation matches this path',
      ]);
    });
  });

  describe('responses', () => {
    const created = { id: '10000', key: 'OPS-24', self: `${site}/rest/api/3/issue/10000` };
    const create = { method: 'POST', url: '/rest/api/3/issue' };

    it('accepts a search page and a created issue', () => {
      expect(
        jira.checkResponse(
          { method: 'GET', url: '/rest/api/3/search?jql=x' },
          { status: 200, body: searchPage },
        ),
      ).toEqual([]);
      expect(
        jira.checkResponse(create, {
          status: 201,
          headers: { 'content-type': 'application/json;charset=UTF-8' },
          body: created,
        }),
      ).toEqual([]);
      const rejected = { errorMessages: [], errors: { summary: 'You must specify a summary of the issue.' } };
      expect(jira.checkResponse(create, { status: 400, body: rejected })).toEqual([]);
    });

    it('reports an undocumented field, a wrong type and an undocumented status', () => {
      expect(jira.checkResponse(create, { status: 201, body: { ...created, url: created.self } })).toEqual([
        'POST /rest/api/3/issue response 201 body: must NOT have additional properties ("url")',
      ]);
      const broken = { ...searchPage, total: '1' };
      expect(
        jira.checkResponse({ method: 'GET', url: '/rest/api/3/search' }, { status: 200, body: broken }),
      ).toEqual(['GET /rest/api/3/search response 200 body: /total must be integer']);
      expect(jira.checkResponse(create, { status: 200, body: created })).toEqual([
        'POST /rest/api/3/issue response 200: status is not documented (documented: 201, 400, 401, 403)',
      ]);
    });

    it('reports an empty body where JSON is documented', () => {
      expect(jira.checkResponse(create, { status: 201, body: undefined })).toEqual([
        'POST /rest/api/3/issue response 201 body: is empty, but application/json is documented',
      ]);
    });
  });
});
