// Seed 002's named routes, called like curl would, against a hub whose connectors talk to the
// vendor fakes on loopback.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BUILTIN_INTEGRATIONS } from '../builtin-integrations.js';
import { loadHubConfig } from '../config/index.js';
import { type DemoUpstreams, startDemoUpstreams } from '../demo/demo-upstreams.js';
import { generateMasterKey } from '../secrets/index.js';
import { createHub, type Hub } from './create-hub.js';

const ADMIN = 'shortcut-admin-token-0123456789';
let demo: DemoUpstreams;
let hub: Hub;
let base: string;
let dir: string;

beforeAll(async () => {
  demo = await startDemoUpstreams();
  dir = mkdtempSync(join(tmpdir(), 'patchbay-shortcuts-'));
  // Zendesk left unconfigured on purpose: its routes must say so.
  const env = Object.fromEntries(Object.entries(demo.env).filter(([name]) => !name.startsWith('ZENDESK_')));
  const config = await loadHubConfig({
    cwd: dir,
    env: {
      ...env,
      PATCHBAY_DATA_DIR: dir,
      PATCHBAY_ADMIN_TOKEN: ADMIN,
      PATCHBAY_MASTER_KEY: generateMasterKey(),
      PORT: '0',
      PATCHBAY_LOG_LEVEL: 'silent',
    },
  });
  hub = await createHub({ config, integrations: BUILTIN_INTEGRATIONS });
  base = await hub.start();
}, 60_000);

afterAll(async () => {
  await hub?.close();
  await demo?.close();
  rmSync(dir, { recursive: true, force: true });
});

async function call(method: 'GET' | 'POST', path: string, body?: unknown) {
  const res = await fetch(`${base}/api/integrations${path}`, {
    method,
    headers: {
      authorization: `Bearer ${ADMIN}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return {
    status: res.status,
    body: (await res.json()) as Record<string, unknown> & { error?: Record<string, unknown> },
  };
}

describe("seed 002's routes through the hub", () => {
  it('GET /github/repos?query= searches repositories', async () => {
    const res = await call('GET', '/github/repos?query=cli&limit=2');
    expect(res.status).toBe(200);
    expect(res.body.items).toEqual(
      expect.arrayContaining([expect.objectContaining({ full_name: 'octo-org/octo-cli' })]),
    );
    expect((res.body.items as unknown[]).length).toBeLessThanOrEqual(2);
  });

  it('GET /github/repos/{owner}/{repo}, /github/commits and /github/pullrequests', async () => {
    const repo = await call('GET', '/github/repos/octo-org/octo-cli');
    expect(repo).toMatchObject({ status: 200, body: { full_name: 'octo-org/octo-cli' } });
    const commits = await call('GET', '/github/commits?owner=octo-org&repo=octo-cli&limit=3');
    expect(commits.status).toBe(200);
    expect((commits.body.items as unknown[]).length).toBeGreaterThan(0);
    const pulls = await call('GET', '/github/pullrequests?owner=octo-org&repo=octo-cli&state=all');
    expect(pulls.status).toBe(200);
    expect(Array.isArray(pulls.body.items)).toBe(true);
  });

  it('POST /github/issues creates an issue; a bad body is a 400 naming the field', async () => {
    const created = await call('POST', '/github/issues', {
      owner: 'octo-org',
      repo: 'octo-cli',
      title: 'Through the hub',
      labels: ['bug'],
    });
    expect(created.status).toBe(200);
    expect(created.body).toMatchObject({ title: 'Through the hub' });
    const bad = await call('POST', '/github/issues', { owner: 'octo-org', repo: 'octo-cli' });
    expect(bad.status).toBe(400);
    expect(bad.body.error).toMatchObject({ type: 'IntegrationValidationError' });
    const issues = (bad.body.error?.issues ?? []) as { path: string }[];
    expect(issues.map((i) => i.path)).toContain('title');
  });

  it("takes an OpenAI strict-mode call's nulls for omitted optional fields", async () => {
    const created = await call('POST', '/github/operations/create_issue', {
      owner: 'octo-org',
      repo: 'octo-cli',
      title: 'From a strict-mode model',
      body: null,
      labels: null,
      assignees: null,
    });
    expect(created.status).toBe(200);
    expect(created.body).toMatchObject({ title: 'From a strict-mode model' });
  });

  it('GET /jira/projects lists, ?project_name= finds, /jira/projects/{key} gets', async () => {
    const listed = await call('GET', '/jira/projects');
    expect(listed.status).toBe(200);
    const found = await call('GET', '/jira/projects?project_name=mobile app');
    expect(found.status).toBe(200);
    expect(found.body.project).toMatchObject({ key: 'MOB' });
    const one = await call('GET', '/jira/projects/PROJ');
    expect(one).toMatchObject({ status: 200, body: { key: 'PROJ' } });
  });

  it('GET /jira/issues searches, POST /jira/issues creates (seed names project_key, issue_type), GET /jira/users lists', async () => {
    const created = await call('POST', '/jira/issues', {
      project_key: 'PROJ',
      summary: 'Created through seed 002 route',
      issue_type: 'Bug',
    });
    expect(created.status).toBe(200);
    expect(created.body.key).toMatch(/^PROJ-\d+$/);
    const search = await call('GET', '/jira/issues?project_key=PROJ&limit=50');
    expect(search.status).toBe(200);
    expect(JSON.stringify(search.body)).toContain(String(created.body.key));
    const users = await call('GET', '/jira/users');
    expect(users.status).toBe(200);
  });

  it('POST /slack/message, GET /slack/channels, GET /slack/users', async () => {
    const sent = await call('POST', '/slack/message', { channel: 'general', text: 'hello from the hub' });
    expect(sent.status).toBe(200);
    expect(sent.body.ts).toMatch(/^\d+\.\d+$/);
    const channels = await call('GET', '/slack/channels?limit=2');
    expect(channels.status).toBe(200);
    expect((channels.body.channels as unknown[]).length).toBeLessThanOrEqual(2);
    const users = await call('GET', '/slack/users');
    expect(users.status).toBe(200);
  });

  it('an unconfigured integration answers IntegrationNotConfigured, naming what is missing', async () => {
    const res = await call('POST', '/zendesk/operations/get_ticket', { ticketId: 1 });
    expect(res.status).toBe(409);
    expect(res.body.error).toMatchObject({ type: 'IntegrationNotConfigured', integration: 'zendesk' });
  });

  it('the seed routes need a token with operator scope', async () => {
    const res = await fetch(`${base}/api/integrations/github/repos?query=cli`);
    expect(res.status).toBe(401);
  });
});
