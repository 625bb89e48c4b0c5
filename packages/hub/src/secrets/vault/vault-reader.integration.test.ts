import { logSink, rejectionOf } from '@patchbay/testing';
import { pino } from 'pino';
import { Registry } from 'prom-client';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type FakeVault, startFakeVault } from './fake-vault.js';
import { isVaultError } from './vault-error.js';
import { createVaultReader, type VaultReaderOptions } from './vault-reader.js';
import { createVaultResolver, parseVaultReference } from './vault-reference.js';

const TOKEN = 'hvs.CAESIvaultTokenForTests0123456789';
let vault: FakeVault;
const sink = logSink();

beforeEach(async () => {
  vault = await startFakeVault({ token: TOKEN });
  vault.put('secret', 'email/sendgrid', {
    api_key: 'SG.sendgrid-key',
    from: 'noreply@example.com',
    port: 587,
  });
  vault.put('secret', 'sms/twilio', { username: 'AC123', password: 'twilio-pass' });
});
afterEach(async () => {
  await vault.close();
});

const reader = (options: Partial<VaultReaderOptions> = {}) =>
  createVaultReader({
    addr: vault.url,
    token: TOKEN,
    ...options,
    client: {
      logger: pino({ level: 'debug' }, sink),
      metricsRegistry: new Registry(),
      retry: { initialDelay: 1, maxDelay: 5 },
      ...options.client,
    },
  });

describe('Vault KV v2 reader (loopback)', () => {
  it('reads data.data of the latest version with X-Vault-Token', async () => {
    await using kv = reader();
    expect(await kv.read('email/sendgrid')).toEqual({
      api_key: 'SG.sendgrid-key',
      from: 'noreply@example.com',
      port: '587',
    });
    const [request] = vault.upstream.requestsTo('GET', '/v1/secret/data/email/sendgrid');
    expect(request?.headers['x-vault-token']).toBe(TOKEN);
    expect(sink.text()).not.toContain(TOKEN);
  });

  it('accepts the CLI spelling with the mount in front, and other mounts', async () => {
    vault.put('kv', 'apps/hub', { db_password: 'pw' });
    await using kv = reader({ mount: 'kv' });
    expect(await kv.read('kv/apps/hub')).toEqual({ db_password: 'pw' });
    expect(await kv.read('/apps/hub')).toEqual({ db_password: 'pw' });
  });

  it('sends the namespace header when given', async () => {
    await using namespaced = await startFakeVault({ token: TOKEN, namespace: 'team-a' });
    namespaced.put('secret', 'x', { k: 'v' });
    await using kv = createVaultReader({
      addr: namespaced.url,
      token: TOKEN,
      namespace: 'team-a',
      client: { logger: false, metricsRegistry: new Registry() },
    });
    expect(await kv.read('x')).toEqual({ k: 'v' });
  });

  it('403 is PERMISSION_DENIED, without the token in message, cause or logs', async () => {
    await using kv = reader({ token: 'hvs.wrong-token-value-000' });
    const error = await rejectionOf(kv.read('email/sendgrid'), isVaultError);
    expect(error.code).toBe('PERMISSION_DENIED');
    expect(error.message).toContain('permission denied reading secret/email/sendgrid');
    expect(error.path).toBe('secret/email/sendgrid');
    expect(JSON.stringify(error, Object.getOwnPropertyNames(error))).not.toContain(
      'hvs.wrong-token-value-000',
    );
    expect(String((error.cause as Error).message)).not.toContain('hvs.wrong-token-value-000');
    expect(sink.text()).not.toContain('hvs.wrong-token-value-000');
    expect(vault.upstream.requestsTo('GET', '/v1/secret/data/email/sendgrid')).toHaveLength(1);
  });

  it('404 and a deleted latest version are NOT_FOUND', async () => {
    vault.put('secret', 'gone', null);
    await using kv = reader();
    for (const path of ['nope/missing', 'gone']) {
      const error = await rejectionOf(kv.read(path), isVaultError);
      expect(error.code).toBe('NOT_FOUND');
      expect(error.message).toContain(`secret/${path}`);
    }
  });

  it('retries a sealed (503) Vault, then reads', async () => {
    vault.upstream.on(
      'GET',
      '/v1/secret/data/flaky',
      { status: 503, json: { errors: ['Vault is sealed'] } },
      { json: { data: { data: { a: '1' }, metadata: {} } } },
    );
    await using kv = reader();
    expect(await kv.read('flaky')).toEqual({ a: '1' });
  });

  it('an unreachable Vault is UNAVAILABLE', async () => {
    const url = vault.url;
    await vault.close();
    await using kv = createVaultReader({
      addr: url,
      token: TOKEN,
      client: { logger: false, metricsRegistry: new Registry(), retry: false },
    });
    const error = await rejectionOf(kv.read('email/sendgrid'), isVaultError);
    expect(error.code).toBe('UNAVAILABLE');
  });
});

describe('vault:<path>#<field> references', () => {
  it('parses, and refuses malformed references', () => {
    expect(parseVaultReference('vault:email/sendgrid#api_key')).toEqual({
      path: 'email/sendgrid',
      field: 'api_key',
    });
    for (const bad of ['vault:email/sendgrid', 'vault:#x', 'vault:a#b#c', 'vault:a b#c']) {
      expect(() => parseVaultReference(bad)).toThrow(/vault:<path>#<field>/);
    }
  });

  it('resolves fields, reading each path once', async () => {
    await using kv = reader();
    const resolver = createVaultResolver(kv);
    const [user, pass, key] = await Promise.all([
      resolver.resolve('vault:sms/twilio#username'),
      resolver.resolve('vault:sms/twilio#password'),
      resolver.resolve('vault:secret/email/sendgrid#api_key'),
    ]);
    expect([user, pass, key]).toEqual(['AC123', 'twilio-pass', 'SG.sendgrid-key']);
    expect(vault.upstream.requestsTo('GET', '/v1/secret/data/sms/twilio')).toHaveLength(1);
  });

  it('names the missing field and the fields there are, not their values', async () => {
    await using kv = reader();
    const error = await rejectionOf(createVaultResolver(kv).resolve('vault:sms/twilio#token'), isVaultError);
    expect(error.code).toBe('FIELD_MISSING');
    expect(error.message).toContain('"token"');
    expect(error.message).toContain('password, username');
    expect(error.message).not.toContain('twilio-pass');
  });
});
