import { defineIntegration, resolveIntegrationConfig, secret } from '@patchbay/core';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { hubPolicies, integrationConfigIssues, integrationSources } from './integration-sources.js';
import type { HubConfig } from './load-hub-config.js';
import { loadHubConfig } from './load-hub-config.js';

const github = defineIntegration({
  name: 'github',
  config: z.object({ token: secret(), baseUrl: z.string().url().default('https://api.github.com') }),
  env: { token: 'GITHUB_TOKEN', baseUrl: 'GITHUB_API_URL' },
  operations: {},
});

const config = (partial: Partial<HubConfig>): HubConfig =>
  ({ features: {}, integrations: {}, env: {}, ...partial }) as HubConfig;

describe('integrationSources', () => {
  it('merges fields stored > env > file, and says where each came from', () => {
    const hub = config({
      integrations: {
        github: { file: { token: 'file-token', baseUrl: 'https://file.example' }, stored: {} },
      },
      env: { GITHUB_TOKEN: 'env-token' },
    });
    let sources = integrationSources('github', github, hub);
    expect(sources.values).toEqual({ token: 'env-token', baseUrl: 'https://file.example' });
    expect(sources.origins).toEqual({ token: 'env', baseUrl: 'file' });

    sources = integrationSources('github', github, {
      ...hub,
      integrations: {
        github: { file: { baseUrl: 'https://file.example' }, stored: { token: 'stored-token' } },
      },
      env: { GITHUB_TOKEN: 'env-token', GITHUB_API_URL: 'https://env.example' },
    });
    expect(sources.values).toEqual({ token: 'stored-token', baseUrl: 'https://env.example' });
    expect(sources.origins).toEqual({ token: 'stored', baseUrl: 'env' });
  });

  it('feeds resolveIntegrationConfig: configured, not configured, disabled', () => {
    const configured = resolveIntegrationConfig(
      github,
      integrationSources('github', github, config({ env: { GITHUB_TOKEN: 't0ken' } })),
    );
    expect(configured).toEqual({
      enabled: true,
      ok: true,
      config: { token: 't0ken', baseUrl: 'https://api.github.com' },
    });

    // The process env is not consulted behind our back: only the HubConfig's env counts.
    const missing = resolveIntegrationConfig(github, integrationSources('github', github, config({})));
    expect(missing).toMatchObject({ enabled: true, ok: false });

    const disabled = integrationSources(
      'github',
      github,
      config({ features: { github: false }, env: { GITHUB_TOKEN: 't' } }),
    );
    expect(disabled.enabled).toBe(false);
    expect(resolveIntegrationConfig(github, disabled)).toEqual({ enabled: false });
  });

  it('end to end from env and file', async () => {
    const hub = await loadHubConfig({
      cwd: process.cwd(),
      env: {
        PATCHBAY_CONFIG: '/dev/null',
        GITHUB_TOKEN: 'ghp_env',
        FEATURES__GITHUB_ENABLED: 'true',
        INTEGRATION_TIMEOUT: '12.5',
      },
      stored: { integrations: { github: { baseUrl: 'https://ghe.example/api/v3' } } },
    });
    const sources = integrationSources('github', github, hub);
    expect(sources.enabled).toBe(true);
    expect(sources.values).toEqual({ token: 'ghp_env', baseUrl: 'https://ghe.example/api/v3' });
    expect(sources.policies).toEqual({ timeout: 12_500 });
  });
});

describe('hub-wide policy defaults (seed 002)', () => {
  const globals = { integrationTimeout: 30, maxRetryAttempts: 3, rateLimitPerMinute: 100 };

  it('map INTEGRATION_TIMEOUT, MAX_RETRY_ATTEMPTS and RATE_LIMIT_PER_MINUTE to client policies', () => {
    expect(hubPolicies(undefined, globals)).toEqual({
      timeout: 30_000,
      retry: { maxRetries: 3 },
      rateLimit: { maxRequests: 100, windowSeconds: 60 },
    });
    expect(
      hubPolicies(undefined, {
        integrationTimeout: undefined,
        maxRetryAttempts: undefined,
        rateLimitPerMinute: undefined,
      }),
    ).toEqual({});
  });

  it('yield to what the integration declares; false stays off', () => {
    expect(
      hubPolicies(
        {
          timeout: 5_000,
          retry: { initialDelay: 200 },
          rateLimit: { maxRequests: 5000, windowSeconds: 3600 },
        },
        globals,
      ),
    ).toEqual({
      timeout: 5_000,
      retry: { initialDelay: 200, maxRetries: 3 },
      rateLimit: { maxRequests: 5000, windowSeconds: 3600 },
    });
    expect(hubPolicies({ retry: false, rateLimit: false }, globals)).toEqual({
      timeout: 30_000,
      retry: false,
      rateLimit: false,
    });
    expect(hubPolicies({ retry: { maxRetries: 0 } }, globals).retry).toEqual({ maxRetries: 0 });
  });
});

describe('integrationConfigIssues', () => {
  it('names entries for unknown integrations and unknown fields', () => {
    const hub = config({
      configFile: '/etc/patchbay/patchbay.config.yaml',
      integrations: {
        github: { file: { tokne: 'x' }, stored: { token: 'y' } },
        gitlab: { file: {}, stored: { token: 'z' } },
      },
    });
    expect(integrationConfigIssues(hub, [github])).toEqual([
      {
        name: 'integrations.github.tokne in patchbay.config.yaml',
        message: 'github has no such field (fields: token, baseUrl)',
      },
      { name: 'integrations.gitlab (stored)', message: 'no such integration (known: github)' },
    ]);
  });
});
