import { createIntegration, type Integration } from '@patchbay/core';
import { type FakeGitHub, type FakeGitHubOptions, startFakeGitHub } from '@patchbay/testing';
import type { GitHubConfig } from './config.js';
import { github } from './github.js';

/** A fake GitHub on loopback and the integration configured for it the way a user would (env). */
export interface GitHubUnderTest extends AsyncDisposable {
  fake: FakeGitHub;
  gh: Integration<typeof github>;
}

/**
 * Starts a fake GitHub and a `github` integration pointed at it through `GITHUB_TOKEN` and
 * `GITHUB_API_URL`; `config` adds values (maxPages, perPage) as the hub's API would.
 */
export async function startGitHubUnderTest(
  options: { fake?: FakeGitHubOptions; config?: Partial<GitHubConfig> } = {},
): Promise<GitHubUnderTest> {
  const fake = await startFakeGitHub(options.fake);
  const gh = createIntegration(github, {
    env: { GITHUB_TOKEN: fake.token, GITHUB_API_URL: fake.url },
    ...(options.config ? { values: options.config } : {}),
    logger: false,
    metricsRegistry: false,
  });
  return {
    fake,
    gh,
    async [Symbol.asyncDispose]() {
      await gh.close();
      await fake.close();
    },
  };
}
