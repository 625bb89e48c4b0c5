import { createIntegration, isSecretSchema } from '@patchbay/core';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { github } from './github.js';

type JsonSchema = { properties?: Record<string, { description?: string }>; required?: string[] };

describe('the github declaration', () => {
  it('reads the token and base URL from the env names of seed 002, and keeps the token secret', () => {
    expect(github.env).toEqual({ token: 'GITHUB_TOKEN', baseUrl: 'GITHUB_API_URL' });
    expect(isSecretSchema(github.config.shape.token)).toBe(true);
    const gh = createIntegration(github, {
      env: { GITHUB_TOKEN: 'ghp_x' },
      logger: false,
      metricsRegistry: false,
    });
    expect(gh.requireConfig()).toEqual({
      token: 'ghp_x',
      baseUrl: 'https://api.github.com',
      maxPages: 10,
      perPage: 100,
    });
    expect(gh.secretFields).toEqual(['token']);
    const bare = createIntegration(github, { env: {}, logger: false, metricsRegistry: false });
    expect(() => bare.requireConfig()).toThrow(/config\.token: is required/);
  });

  it('takes an Enterprise base URL and page settings, and refuses nonsense', () => {
    const ghe = createIntegration(github, {
      env: { GITHUB_TOKEN: 'ghp_x', GITHUB_API_URL: 'https://ghe.example/api/v3' },
      values: { maxPages: '3', perPage: 50 },
      logger: false,
      metricsRegistry: false,
    });
    expect(ghe.requireConfig()).toMatchObject({
      baseUrl: 'https://ghe.example/api/v3',
      maxPages: 3,
      perPage: 50,
    });
    const wrong = createIntegration(github, {
      env: { GITHUB_TOKEN: 'ghp_x', GITHUB_API_URL: 'ftp://ghe.example' },
      values: { perPage: 500 },
      logger: false,
      metricsRegistry: false,
    });
    expect(() => wrong.requireConfig()).toThrow(
      /config\.baseUrl.*config\.perPage|config\.perPage.*config\.baseUrl/s,
    );
  });

  it('describes every operation and every input field for the agents that call them', () => {
    const undescribed: string[] = [];
    for (const [name, op] of Object.entries(github.operations)) {
      expect(op.description.length, name).toBeGreaterThan(60);
      expect(['read', 'write']).toContain(op.kind);
      const input = z.toJSONSchema(op.input, { io: 'input' }) as JsonSchema;
      for (const [field, schema] of Object.entries(input.properties ?? {})) {
        if (!schema.description) undescribed.push(`${name}.${field}`);
      }
      expect(op.output, name).toBeDefined();
      expect(() =>
        z.toJSONSchema(op.output as z.ZodType, { io: 'output', unrepresentable: 'any' }),
      ).not.toThrow();
    }
    expect(undescribed).toEqual([]);
  });

  it('marks what changes GitHub as a write, and only the idempotent write as repeatable', () => {
    const writes = Object.entries(github.operations)
      .filter(([, op]) => op.kind === 'write')
      .map(([name, op]) => [name, op.idempotent ?? false]);
    expect(writes).toEqual([
      ['create_issue', false],
      ['update_issue', true],
      ['comment_on_issue', false],
    ]);
  });
});
