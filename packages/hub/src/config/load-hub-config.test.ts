// biome-ignore-all lint/suspicious/noTemplateCurlyInString: these tests are about ${ENV} interpolation in config files
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSecretCipher, secretAad } from '../secrets/cipher.js';
import { generateMasterKey } from '../secrets/master-key.js';
import { ConfigError, isConfigError } from './config-error.js';
import { describeHubConfig, type LoadHubConfigOptions, loadHubConfig } from './load-hub-config.js';

let cwd: string;
beforeEach(() => {
  cwd = mkdtempSync(join(tmpdir(), 'patchbay-config-'));
});
afterEach(() => {
  rmSync(cwd, { recursive: true, force: true });
});

const load = (options: LoadHubConfigOptions = {}) => loadHubConfig({ env: {}, cwd, ...options });
const write = (name: string, text: string) => writeFileSync(join(cwd, name), text);

async function configError(promise: Promise<unknown>): Promise<ConfigError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!isConfigError(error)) throw new Error(`expected a ConfigError, got ${String(error)}`);
  return error;
}

describe('defaults', () => {
  it('runs on 127.0.0.1:8080 with ./data and nothing else', async () => {
    const config = await load();
    expect(config).toMatchObject({
      host: '127.0.0.1',
      port: 8080,
      dataDir: join(cwd, 'data'),
      logLevel: 'info',
      bodyLimit: 1024 * 1024,
      vaultMount: 'secret',
      databaseUrl: undefined,
      integrationTimeout: undefined,
      features: {},
      integrations: {},
      configFile: undefined,
    });
    expect(config.origins.port).toBe('default');
  });
});

describe('precedence: stored > env > file > default', () => {
  it('picks the highest source and records where each setting came from', async () => {
    write('patchbay.config.yaml', 'hub:\n  port: 9000\n  host: 0.0.0.0\n  logLevel: debug\n');
    const env = { PORT: '9100', PATCHBAY_LOG_LEVEL: 'warn' };
    const all = await load({ env, stored: { hub: { port: 9200 } } });
    expect([all.port, all.host, all.logLevel]).toEqual([9200, '0.0.0.0', 'warn']);
    expect(all.origins).toMatchObject({
      port: 'stored',
      host: 'file',
      logLevel: 'env',
      bodyLimit: 'default',
    });
    expect((await load({ env })).port).toBe(9100);
    expect((await load()).port).toBe(9000);
  });

  it('treats an empty variable as unset', async () => {
    expect((await load({ env: { PORT: '', HOST: '' } })).port).toBe(8080);
  });

  it('reads the seed names and the rest of the settings', async () => {
    const config = await load({
      env: {
        HOST: '0.0.0.0',
        PORT: '0',
        PATCHBAY_DATA_DIR: '/var/lib/patchbay',
        DATABASE_URL: 'postgres://u:p@db:5432/patchbay',
        REDIS_URL: 'redis://cache:6379',
        AMQP_URL: 'amqp://guest:guest@mq:5672',
        PATCHBAY_ADMIN_TOKEN: 'admin-token-0123456789',
        PATCHBAY_MASTER_KEY: generateMasterKey(),
        INTEGRATION_TIMEOUT: '30',
        MAX_RETRY_ATTEMPTS: '3',
        RATE_LIMIT_PER_MINUTE: '100',
        PATCHBAY_BODY_LIMIT: '512kb',
        PATCHBAY_LOG_LEVEL: 'DEBUG',
      },
    });
    expect(config).toMatchObject({
      port: 0,
      dataDir: '/var/lib/patchbay',
      databaseUrl: 'postgres://u:p@db:5432/patchbay',
      integrationTimeout: 30,
      maxRetryAttempts: 3,
      rateLimitPerMinute: 100,
      bodyLimit: 512 * 1024,
      logLevel: 'debug',
    });
  });
});

describe('validation', () => {
  it('names every bad variable and what is wrong, in one error', async () => {
    const error = await configError(
      load({
        env: {
          PORT: 'abc',
          MAX_RETRY_ATTEMPTS: '-1',
          INTEGRATION_TIMEOUT: '0',
          RATE_LIMIT_PER_MINUTE: '1.5',
          DATABASE_URL: 'mysql://admin:hunter2pass@db/x',
          REDIS_URL: 'localhost:6379',
          AMQP_URL: 'http://mq',
          PATCHBAY_LOG_LEVEL: 'loud',
          PATCHBAY_BODY_LIMIT: 'huge',
          FEATURES__GITHUB_ENABLED: 'maybe',
          VAULT_ADDR: 'vault.local',
        },
      }),
    );
    expect(error.issues.map((i) => i.name).sort()).toEqual(
      [
        'PORT',
        'MAX_RETRY_ATTEMPTS',
        'INTEGRATION_TIMEOUT',
        'RATE_LIMIT_PER_MINUTE',
        'DATABASE_URL',
        'REDIS_URL',
        'AMQP_URL',
        'PATCHBAY_LOG_LEVEL',
        'PATCHBAY_BODY_LIMIT',
        'FEATURES__GITHUB_ENABLED',
        'VAULT_ADDR',
      ].sort(),
    );
    expect(error.message).toContain("PORT: must be an integer 0-65535 (0 picks a free port), got 'abc'");
    expect(error.message).toContain("MAX_RETRY_ATTEMPTS: must be an integer 0-20, got '-1'");
    expect(error.message).toContain('INTEGRATION_TIMEOUT: must be a number of seconds');
    expect(error.message).toContain('PATCHBAY_LOG_LEVEL: must be one of fatal, error, warn, info');
    expect(error.message).toContain("FEATURES__GITHUB_ENABLED: must be true or false, got 'maybe'");
    expect(error.message).toContain('DATABASE_URL: must be a postgres:// or postgresql:// URL');
    expect(error.message).toMatch(/^invalid configuration \(11 problems\):\n {2}- /);
    expect(error.message).not.toContain('hunter2pass');
  });

  it('never echoes secrets, whatever their name', async () => {
    const values = {
      PATCHBAY_ADMIN_TOKEN: 'short-tok',
      PATCHBAY_MASTER_KEY: 'not-a-real-master-key-value',
      VAULT_TOKEN: ' ',
      FEATURES__X_ENABLED: 'yes',
    };
    const error = await configError(
      load({ env: values, stored: { hub: { masterKey: 'stored-bad-key-value' } } }),
    );
    expect(error.issues.map((i) => i.name)).toEqual([
      'PATCHBAY_ADMIN_TOKEN',
      'masterKey (stored)'.replace('masterKey', 'hub.masterKey'),
      'PATCHBAY_MASTER_KEY',
      'VAULT_TOKEN',
    ]);
    expect(error.message).toContain(
      'PATCHBAY_ADMIN_TOKEN: must be at least 16 characters long, got (value hidden)',
    );
    expect(error.message).toContain('PATCHBAY_MASTER_KEY: must be 32 bytes as base64');
    for (const secret of ['short-tok', 'not-a-real-master-key-value', 'stored-bad-key-value']) {
      expect(error.message).not.toContain(secret);
      expect(JSON.stringify(error.issues)).not.toContain(secret);
    }
  });

  it('names bad paths in the file, and checks shadowed values too', async () => {
    write(
      'patchbay.config.yaml',
      [
        'hub:',
        '  port: 99999',
        '  colour: blue',
        '  bodyLimit: 12',
        'integrations:',
        '  GitHub: { token: x }',
        '  jira: just-a-string',
        '  slack: { enabled: perhaps }',
        'extras: {}',
      ].join('\n'),
    );
    const error = await configError(load({ env: { PORT: '8081' } }));
    const file = 'patchbay.config.yaml';
    expect(error.issues.map((i) => i.name).sort()).toEqual(
      [
        `hub.port in ${file}`,
        `hub.colour in ${file}`,
        `hub.bodyLimit in ${file}`,
        `integrations.GitHub in ${file}`,
        `integrations.jira in ${file}`,
        `integrations.slack.enabled in ${file}`,
        `extras in ${file}`,
      ].sort(),
    );
    expect(error.message).toContain(
      `hub.port in ${file}: must be an integer 0-65535 (0 picks a free port), got 99999`,
    );
    expect(error.message).toContain(`hub.colour in ${file}: unknown setting`);
  });
});

describe('config file', () => {
  it('reads YAML, with integrations and features', async () => {
    write(
      'patchbay.config.yaml',
      [
        'hub:',
        '  PORT: 8181 # env names work as keys too',
        'features:',
        '  sms: false',
        'integrations:',
        '  github:',
        '    enabled: true',
        '    baseUrl: https://github.example.com/api/v3',
        '  email:',
        '    enabled: false',
        '    from_address: noreply@example.com',
      ].join('\n'),
    );
    const config = await load();
    expect(config.port).toBe(8181);
    expect(config.configFile).toBe(join(cwd, 'patchbay.config.yaml'));
    expect(config.features).toEqual({ sms: false, github: true, email: false });
    expect(config.integrations.github?.file).toEqual({ baseUrl: 'https://github.example.com/api/v3' });
    expect(config.integrations.email?.file).toEqual({ from_address: 'noreply@example.com' });
  });

  it('reads JSON, and PATCHBAY_CONFIG points anywhere', async () => {
    write(
      'custom.json',
      JSON.stringify({ hub: { port: 7070 }, integrations: { jira: { baseUrl: 'https://j' } } }),
    );
    const config = await load({ env: { PATCHBAY_CONFIG: 'custom.json' } });
    expect(config.port).toBe(7070);
    expect(config.integrations.jira?.file).toEqual({ baseUrl: 'https://j' });
    write('patchbay.config.json', '{"hub": {"port": 7171}}');
    expect((await load()).port).toBe(7171);
  });

  it('refuses a missing PATCHBAY_CONFIG, two files, and bad syntax without quoting it', async () => {
    let error = await configError(load({ env: { PATCHBAY_CONFIG: 'nope.yaml' } }));
    expect(error.issues[0]).toEqual({
      name: 'PATCHBAY_CONFIG',
      message: `no such file: ${join(cwd, 'nope.yaml')}`,
    });

    write('patchbay.config.json', '{"integrations": {"github": {"token": "ghp_leakme123" x}}}');
    error = await configError(load());
    expect(error.message).toMatch(
      /patchbay.config.json: is not valid JSON: syntax error at line 1, column \d+/,
    );
    expect(error.message).not.toContain('ghp_leakme123');

    write('patchbay.config.yaml', 'hub: {}\n');
    error = await configError(load());
    expect(error.message).toContain('found patchbay.config.yaml and patchbay.config.json');
    rmSync(join(cwd, 'patchbay.config.json'));

    write('patchbay.config.yaml', 'integrations:\n  github:\n    token: "ghp_leakme456\n  x: [\n');
    error = await configError(load());
    expect(error.message).toMatch(/patchbay.config.yaml: is not valid YAML: .* at line \d+, column \d+/);
    expect(error.message).not.toContain('ghp_leakme456');
  });
});

describe('env interpolation in the file', () => {
  it('substitutes ${NAME}, ${NAME:-default} and keeps $${ literal', async () => {
    write(
      'patchbay.config.yaml',
      [
        'hub:',
        '  port: ${HUB_PORT}',
        '  host: ${HUB_HOST:-10.0.0.1}',
        'integrations:',
        '  github:',
        '    token: ${GH_PAT}',
        '    baseUrl: https://${GH_HOST}/api/v3',
        '    note: "$${NOT_A_VAR}"',
      ].join('\n'),
    );
    const config = await load({
      env: { HUB_PORT: '8443', GH_PAT: 'ghp_interpolated', GH_HOST: 'ghe.local' },
    });
    expect(config.port).toBe(8443);
    expect(config.host).toBe('10.0.0.1');
    expect(config.integrations.github?.file).toEqual({
      token: 'ghp_interpolated',
      baseUrl: 'https://ghe.local/api/v3',
      note: '${NOT_A_VAR}',
    });
  });

  it('names unset variables, and quotes what was written, not a secret it expanded to', async () => {
    write(
      'patchbay.config.yaml',
      'hub:\n  port: ${SERVICE_PORT}\n  host: ${APP_SECRET}\nintegrations:\n  x:\n    a: ${MISSING_ONE}\n',
    );
    const error = await configError(load({ env: { SERVICE_PORT: 'not-a-port', APP_SECRET: '' } }));
    expect(error.message).toContain(
      "hub.port in patchbay.config.yaml: must be an integer 0-65535 (0 picks a free port), got '${SERVICE_PORT}'",
    );
    expect(error.message).toContain('hub.host in patchbay.config.yaml: ${APP_SECRET} is not set');
    expect(error.message).toContain('integrations.x.a in patchbay.config.yaml: ${MISSING_ONE} is not set');
    write('patchbay.config.yaml', 'hub:\n  port: ${DB_PASSWORD}\n');
    const hidden = await configError(load({ env: { DB_PASSWORD: 'pa55word-value' } }));
    expect(hidden.message).toContain('got (value hidden)');
    expect(hidden.message).not.toContain('pa55word-value');
  });
});

describe('feature flags', () => {
  it('FEATURES__<NAME>_ENABLED for any name; stored > env > file', async () => {
    write(
      'patchbay.config.yaml',
      'features:\n  email: true\n  sms: true\nintegrations:\n  storage_s3: { enabled: false }\n',
    );
    const config = await load({
      env: {
        FEATURES__SMS_ENABLED: 'false',
        FEATURES__STORAGE_S3_ENABLED: 'on',
        FEATURES__SEARCH_MEILISEARCH_ENABLED: '1',
      },
      stored: { integrations: { email: { enabled: false } } },
    });
    expect(config.features).toEqual({ email: false, sms: false, storage_s3: true, search_meilisearch: true });
  });
});

describe('stored secrets', () => {
  it('decrypts envelopes with the cipher, bound to integration/field', async () => {
    const cipher = createSecretCipher({ masterKey: generateMasterKey() });
    const token = cipher.encrypt('ghp_stored_secret', secretAad('github', 'token'));
    const config = await load({
      cipher,
      stored: { integrations: { github: { token, baseUrl: 'https://x' } } },
    });
    expect(config.integrations.github?.stored).toEqual({ token: 'ghp_stored_secret', baseUrl: 'https://x' });

    const moved = await configError(
      load({ cipher, stored: { integrations: { slack: { bot_token: token } } } }),
    );
    expect(moved.issues[0]?.name).toBe('integrations.slack.bot_token (stored)');
    expect(moved.message).toContain('failed authentication');
  });

  it('a wrong master key is a clear error at start, naming both key ids', async () => {
    const old = createSecretCipher({ masterKey: generateMasterKey() });
    const current = createSecretCipher({ masterKey: generateMasterKey() });
    const stored = { integrations: { github: { token: old.encrypt('ghp_x', 'github/token') } } };
    const error = await configError(load({ cipher: current, stored }));
    expect(error.message).toContain(
      `integrations.github.token (stored): secret was encrypted with key ${old.keyId}, the configured master key is ${current.keyId}`,
    );
    const noCipher = await configError(load({ stored }));
    expect(noCipher.message).toContain('is encrypted, but no secret cipher was given');
  });
});

describe('describeHubConfig', () => {
  it('shows settings with secrets as *** and URL passwords hidden', async () => {
    const config = await load({
      env: {
        PATCHBAY_ADMIN_TOKEN: 'admin-token-0123456789',
        DATABASE_URL: 'postgres://app:dbpass@db/patchbay',
        VAULT_TOKEN: 'hvs.abcdef',
      },
    });
    const shown = JSON.stringify(describeHubConfig(config));
    expect(shown).toContain('"adminToken":"***"');
    expect(shown).toContain('"vaultToken":"***"');
    expect(shown).toContain('postgres://app:***@db/patchbay');
    for (const secret of ['admin-token-0123456789', 'dbpass', 'hvs.abcdef'])
      expect(shown).not.toContain(secret);
  });
});

it('ConfigError is a real Error with a name', () => {
  const error = new ConfigError([{ name: 'PORT', message: 'bad' }]);
  expect(error).toBeInstanceOf(Error);
  expect(error.name).toBe('ConfigError');
  expect(error.message).toBe('invalid configuration (1 problem):\n  - PORT: bad');
});
