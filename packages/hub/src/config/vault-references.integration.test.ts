import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type FakeVault, startFakeVault } from '../secrets/vault/fake-vault.js';
import { isConfigError } from './config-error.js';
import { loadHubConfig } from './load-hub-config.js';

const TOKEN = 'hvs.config-test-token-0001';
let cwd: string;
let vault: FakeVault;
beforeEach(async () => {
  cwd = mkdtempSync(join(tmpdir(), 'patchbay-vault-config-'));
  vault = await startFakeVault({ token: TOKEN });
  vault.put('secret', 'email/sendgrid', { api_key: 'SG.from-vault' });
  vault.put('secret', 'github', { token: 'ghp_from_vault' });
  vault.put('secret', 'hub', { admin_token: 'admin-token-from-vault-123' });
});
afterEach(async () => {
  await vault.close();
  rmSync(cwd, { recursive: true, force: true });
});

describe('vault:<path>#<field> in config (loopback KV v2)', () => {
  it('resolves references in the file, in env and in hub settings', async () => {
    writeFileSync(
      join(cwd, 'patchbay.config.yaml'),
      'integrations:\n  email:\n    api_key: vault:email/sendgrid#api_key\n    provider: sendgrid\n',
    );
    const config = await loadHubConfig({
      cwd,
      env: {
        VAULT_ADDR: vault.url,
        VAULT_TOKEN: TOKEN,
        GITHUB_TOKEN: 'vault:secret/github#token',
        PATCHBAY_ADMIN_TOKEN: 'vault:hub#admin_token',
      },
    });
    expect(config.integrations.email?.file).toEqual({ api_key: 'SG.from-vault', provider: 'sendgrid' });
    expect(config.env.GITHUB_TOKEN).toBe('ghp_from_vault');
    expect(config.adminToken).toBe('admin-token-from-vault-123');
  });

  it('names each reference that fails, and why, never a value or the token', async () => {
    const error = await loadHubConfig({
      cwd,
      env: {
        VAULT_ADDR: vault.url,
        VAULT_TOKEN: TOKEN,
        GITHUB_TOKEN: 'vault:github#nope',
        JIRA_API_TOKEN: 'vault:jira#token',
        SLACK_BOT_TOKEN: 'vault:slack',
      },
    }).catch((e: unknown) => e);
    expect(isConfigError(error)).toBe(true);
    const message = (error as Error).message;
    expect(message).toContain(
      'GITHUB_TOKEN: vault: the secret at github has no field "nope" (its fields: token)',
    );
    expect(message).toContain('JIRA_API_TOKEN: vault: no secret at secret/jira');
    expect(message).toContain('SLACK_BOT_TOKEN: a vault reference must look like vault:<path>#<field>');
    expect(message).not.toContain(TOKEN);
    expect(message).not.toContain('ghp_from_vault');
  });

  it('a reference without VAULT_ADDR/VAULT_TOKEN, or a token Vault refuses, stops the start', async () => {
    let error = await loadHubConfig({ cwd, env: { GITHUB_TOKEN: 'vault:github#token' } }).catch(
      (e: unknown) => e,
    );
    expect((error as Error).message).toContain(
      'GITHUB_TOKEN: is a vault: reference, but VAULT_ADDR and VAULT_TOKEN are not both set',
    );
    error = await loadHubConfig({
      cwd,
      env: { VAULT_ADDR: vault.url, VAULT_TOKEN: 'hvs.revoked-token-99', GITHUB_TOKEN: 'vault:github#token' },
    }).catch((e: unknown) => e);
    expect((error as Error).message).toContain(
      'GITHUB_TOKEN: vault: permission denied reading secret/github',
    );
    expect((error as Error).message).not.toContain('hvs.revoked-token-99');
  });
});
