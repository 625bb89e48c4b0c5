import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { vendorContract } from './vendor-contracts.js';

describe('vendorContract', () => {
  const saved = process.env.PATCHBAY_SPECS_DIR;
  let directory: string | undefined;
  afterEach(() => {
    if (saved === undefined) delete process.env.PATCHBAY_SPECS_DIR;
    else process.env.PATCHBAY_SPECS_DIR = saved;
    if (directory) rmSync(directory, { recursive: true, force: true });
  });

  it("loads the repository's descriptions by vendor", () => {
    expect(vendorContract('slack').title).toBe('Slack Web API');
    expect(vendorContract('jira').title).toBe('The Jira Cloud platform REST API');
  });

  it('reads the shared specs from PATCHBAY_SPECS_DIR when set', () => {
    directory = mkdtempSync(join(tmpdir(), 'specs-'));
    const tiny = {
      openapi: '3.0.3',
      info: { title: 'Tiny Jira', version: '3' },
      paths: {
        '/rest/api/3/myself': {
          get: { operationId: 'getCurrentUser', responses: { 200: { description: 'me' } } },
        },
      },
    };
    writeFileSync(join(directory, 'jira-platform-v3.openapi3.json'), JSON.stringify(tiny));
    process.env.PATCHBAY_SPECS_DIR = directory;
    const jira = vendorContract('jira');
    expect(jira.title).toBe('Tiny Jira');
    expect(jira.match('GET', '/rest/api/3/myself')?.operationId).toBe('getCurrentUser');
    expect(jira.match('GET', '/rest/api/3/search')).toBeUndefined();
  });

  it('says which file is missing when the specs folder holds none', () => {
    directory = mkdtempSync(join(tmpdir(), 'specs-'));
    process.env.PATCHBAY_SPECS_DIR = directory;
    expect(() => vendorContract('slack')).toThrow(/slack-web-api\.openapi2\.json/);
  });
});
