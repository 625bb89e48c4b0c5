// `patchbay call`, `patchbay test` and `patchbay dlq replay`, run as the real command against
// the vendor fakes on loopback.
import { type FakeGitHub, type FakeJira, startFakeGitHub, startFakeJira } from '@patchbay/testing';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { generateMasterKey } from '../secrets/index.js';
import { runPatchbay, tempDataDir } from './cli.harness.js';
import { EXIT_CODE_BY_ERROR_TYPE } from './errors.js';

const TIMEOUT = 90_000;
let github: FakeGitHub;
let jira: FakeJira;
let data: ReturnType<typeof tempDataDir>;
let env: Record<string, string>;

beforeAll(async () => {
  github = await startFakeGitHub();
  jira = await startFakeJira();
});
afterAll(async () => {
  await github?.close();
  await jira?.close();
});
beforeEach(() => {
  data = tempDataDir();
  env = {
    PATCHBAY_DATA_DIR: data.dir,
    PATCHBAY_MASTER_KEY: generateMasterKey(),
    GITHUB_TOKEN: github.token,
    GITHUB_API_URL: github.url,
    JIRA_BASE_URL: jira.url,
    JIRA_USERNAME: jira.email,
    JIRA_API_TOKEN: jira.apiToken,
  };
});
afterEach(() => data.remove());

describe('patchbay call', () => {
  it(
    'prints the result as JSON; bad input exits 2 with the field; a wrong token exits 3; secrets never printed',
    async () => {
      const ok = await runPatchbay(
        ['call', 'github.get_repository', '--input', '{"owner":"octo-org","repo":"octo-cli"}'],
        env,
      );
      expect(ok.stderr).toBe('');
      expect(ok.code).toBe(0);
      expect(JSON.parse(ok.stdout)).toMatchObject({ full_name: 'octo-org/octo-cli' });

      const bad = await runPatchbay(
        ['call', 'github_get_repository', '--input', '{"owner":"octo-org"}'],
        env,
      );
      expect(bad.code).toBe(EXIT_CODE_BY_ERROR_TYPE.IntegrationValidationError);
      const badBody = JSON.parse(bad.stdout) as { error: { type: string; issues: { path: string }[] } };
      expect(badBody.error.type).toBe('IntegrationValidationError');
      expect(badBody.error.issues.map((i) => i.path)).toEqual(['repo']);

      const wrongToken = await runPatchbay(
        ['call', 'github.get_repository', '--input', '{"owner":"octo-org","repo":"octo-cli"}'],
        {
          ...env,
          GITHUB_TOKEN: 'ghp_wrong_canary_token_123456',
        },
      );
      expect(wrongToken.code).toBe(EXIT_CODE_BY_ERROR_TYPE.IntegrationAuthError);
      expect(wrongToken.stdout + wrongToken.stderr).not.toContain('ghp_wrong_canary_token_123456');

      const unknown = await runPatchbay(['call', 'github.nope'], env);
      expect(unknown.code).toBe(2);
      expect(unknown.stderr).toMatch(/has no operation nope/);
    },
    TIMEOUT,
  );

  it(
    '--dry-run shows the write it would send and sends nothing',
    async () => {
      const before = github.requests.length;
      const res = await runPatchbay(
        [
          'call',
          'github.create_issue',
          '--dry-run',
          '--input',
          '{"owner":"octo-org","repo":"octo-cli","title":"Dry"}',
        ],
        env,
      );
      expect(res.code).toBe(0);
      const shown = JSON.parse(res.stdout) as {
        dryRun: boolean;
        request: { method: string; url: string; body: unknown };
      };
      expect(shown).toMatchObject({ dryRun: true, request: { method: 'POST', body: { title: 'Dry' } } });
      expect(shown.request.url).toBe(`${github.url}/repos/octo-org/octo-cli/issues`);
      expect(res.stdout).not.toContain(github.token);
      expect(github.requests.length).toBe(before);
    },
    TIMEOUT,
  );
});

describe('patchbay test', () => {
  it(
    'exits 0 for a working integration and 6 for one that is not configured',
    async () => {
      const ok = await runPatchbay(['test', 'github'], env);
      expect(ok.code).toBe(0);
      expect(ok.stdout).toMatch(/^github: ready: /);
      const { JIRA_BASE_URL: _url, ...withoutJira } = env;
      const missing = await runPatchbay(['test', 'jira', '--json'], withoutJira);
      expect(missing.code).toBe(EXIT_CODE_BY_ERROR_TYPE.IntegrationNotConfigured);
      expect(JSON.parse(missing.stdout)).toMatchObject({ name: 'jira', status: 'not_configured' });
    },
    TIMEOUT,
  );
});

describe('patchbay dlq replay', () => {
  it(
    'a write that failed upstream is dead-lettered, then replayed once the upstream is back',
    async () => {
      jira.fail(503, 10);
      const input = '{"projectKey":"PROJ","summary":"Kept for replay"}';
      const failed = await runPatchbay(['call', 'jira.create_issue', '--input', input], env);
      expect(failed.code).toBe(EXIT_CODE_BY_ERROR_TYPE.IntegrationTemporaryError);
      const { error } = JSON.parse(failed.stdout) as { error: { type: string; deadLetterId: string } };
      expect(error.type).toBe('IntegrationTemporaryError');
      expect(error.deadLetterId).toMatch(/[0-9a-f-]{36}/);

      // Drain the scripted failures the call did not use, then replay.
      while (true) {
        const probe = await fetch(`${jira.url}/rest/api/3/myself`, {
          headers: {
            authorization: `Basic ${Buffer.from(`${jira.email}:${jira.apiToken}`).toString('base64')}`,
          },
        });
        if (probe.status === 200) break;
      }
      const replayed = await runPatchbay(['dlq', 'replay', '--all'], env);
      expect(replayed.stderr).toBe('');
      expect(replayed.code).toBe(0);
      expect(replayed.stdout).toContain('Replayed 1 of 1 dead letter(s).');
      expect(jira.data.issues.some((i) => i.summary === 'Kept for replay')).toBe(true);

      const again = await runPatchbay(['dlq', 'replay', error.deadLetterId], env);
      expect(again.code).toBe(1);
      expect(again.stdout).toMatch(/already replayed/);
      const usage = await runPatchbay(['dlq', 'replay'], env);
      expect(usage.code).toBe(2);
    },
    TIMEOUT,
  );
});
