import { describe, expect, it } from 'vitest';
import { isConfigError } from '../../config/index.js';
import { loadWebhooksConfig } from './load-webhooks-config.js';

const WHSEC = `whsec_${Buffer.alloc(32, 1).toString('base64')}`;

function issues(section: unknown, env: Record<string, string> = {}) {
  try {
    loadWebhooksConfig(section, { env, label: 'patchbay.config.yaml' });
  } catch (error) {
    if (isConfigError(error)) return error.issues;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('loadWebhooksConfig', () => {
  it('resolves environment references in strings and fills the defaults', () => {
    const config = loadWebhooksConfig(
      {
        // biome-ignore lint/suspicious/noTemplateCurlyInString: the config file's ${ENV} syntax
        sources: { github: { verify: 'github', secrets: ['${GH_SECRET}'] } },
        // biome-ignore lint/suspicious/noTemplateCurlyInString: the config file's ${ENV} syntax
        subscribers: [{ name: 'crm', url: 'https://crm.example.com/h', secrets: ['${CRM_WHSEC}'] }],
      },
      { env: { GH_SECRET: 'from-env', CRM_WHSEC: WHSEC } },
    );
    expect(config.sources.github).toMatchObject({
      verify: 'github',
      secrets: ['from-env'],
      toleranceSeconds: 300,
      enabled: true,
    });
    expect(config.subscribers[0]).toMatchObject({
      name: 'crm',
      eventTypes: ['*'],
      secrets: [WHSEC],
      enabled: true,
    });
    expect(config.maxBodyBytes).toBe(1024 * 1024);
    expect(loadWebhooksConfig(undefined, { env: {} })).toMatchObject({ sources: {}, subscribers: [] });
  });

  it('names every bad path, never quoting a value', () => {
    const found = issues(
      {
        sources: {
          // biome-ignore lint/suspicious/noTemplateCurlyInString: the config file's ${ENV} syntax
          github: { verify: 'github', secrets: ['${MISSING_SECRET}'] },
          open: { verify: 'none', secrets: ['should-not-be-here'] },
          custom: { verify: 'hmac', secrets: ['s3cr3t-value'] },
          svix: { verify: 'standard', secrets: ['not-base64!'] },
          Bad: { verify: 'none' },
        },
        subscribers: [
          { name: 'a', url: 'ftp://x', secrets: [WHSEC] },
          { name: 'b', url: 'https://b.example.com', secrets: [WHSEC] },
          { name: 'b', url: 'https://b.example.com', secrets: [WHSEC] },
        ],
        surprise: true,
      },
      {},
    );
    const names = found.map((i) => i.name.replace(' in patchbay.config.yaml', ''));
    expect(names).toEqual(
      expect.arrayContaining([
        'webhooks.sources.github.secrets.0',
        'webhooks.sources.open.secrets',
        'webhooks.sources.custom.hmac',
        'webhooks.sources.svix.secrets.0',
        'webhooks.sources.Bad',
        'webhooks.subscribers.0.url',
        'webhooks',
      ]),
    );
    expect(JSON.stringify(found)).not.toContain('s3cr3t-value');
    expect(JSON.stringify(found)).not.toContain('should-not-be-here');
  });

  it('refuses two subscribers with one name', () => {
    const found = issues({
      subscribers: [
        { name: 'b', url: 'https://b.example.com', secrets: [WHSEC] },
        { name: 'b', url: 'https://c.example.com', secrets: [WHSEC] },
      ],
    });
    expect(found).toEqual([
      { name: 'webhooks.subscribers in patchbay.config.yaml', message: 'two subscribers are named b' },
    ]);
  });
});
