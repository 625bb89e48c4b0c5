import { type ClientOptions, createClient, customAuth, isIntegrationError } from '@patchbay/core';
import { VaultError } from './vault-error.js';

export interface VaultReaderOptions {
  /** `VAULT_ADDR`. @example 'https://vault.company.com:8200' */
  addr: string;
  /** `VAULT_TOKEN`: sent as `X-Vault-Token`, redacted from every log and error. */
  token: string;
  /**
   * The KV v2 secrets engine's mount.
   * @default 'secret'
   */
  mount?: string;
  /** Vault Enterprise namespace, sent as `X-Vault-Namespace`. */
  namespace?: string;
  /** Kernel client options (timeouts, retry, logger, metrics registry) for the Vault client. */
  client?: Partial<Omit<ClientOptions, 'name' | 'baseUrl' | 'auth'>>;
}

/** Reads secrets from a HashiCorp Vault KV v2 engine (seed 003). */
export interface VaultReader extends AsyncDisposable {
  readonly mount: string;
  /**
   * The latest version of the secret at `path` (relative to the mount; a leading `<mount>/`, as
   * in `vault kv get secret/email/sendgrid`, is accepted too). Non-string values are JSON text.
   */
  read(path: string): Promise<Record<string, string>>;
  close(): Promise<void>;
}

/**
 * A Vault KV v2 reader over the kernel's client, so reads get timeouts, retries on 5xx (a sealed
 * or standby Vault answers 503), metrics and redaction of the token.
 * @example
 * await using vault = createVaultReader({ addr: env.VAULT_ADDR, token: env.VAULT_TOKEN });
 * const { api_key } = await vault.read('email/sendgrid');
 */
export function createVaultReader(options: VaultReaderOptions): VaultReader {
  const mount = trimSlashes(options.mount ?? 'secret');
  if (!mount) throw new TypeError('vault mount must not be empty');
  if (!options.token) throw new TypeError('vault token (VAULT_TOKEN) must not be empty');
  const headers: Record<string, string> = { 'X-Vault-Token': options.token };
  const client = createClient({
    timeout: 10_000,
    totalTimeout: 30_000,
    ...options.client,
    name: 'vault',
    baseUrl: options.addr,
    auth: customAuth({ headers }),
    defaultHeaders: {
      accept: 'application/json',
      ...(options.namespace ? { 'x-vault-namespace': options.namespace } : {}),
      ...options.client?.defaultHeaders,
    },
    redact: {
      ...options.client?.redact,
      secrets: [options.token, ...(options.client?.redact?.secrets ?? [])],
      headers: ['x-vault-token', ...(options.client?.redact?.headers ?? [])],
    },
  });

  const read = async (path: string): Promise<Record<string, string>> => {
    const relative = relativePath(path, mount);
    const apiPath = `/v1/${encodePath(mount)}/data/${encodePath(relative)}`;
    const shown = `${mount}/${relative}`;
    let body: unknown;
    try {
      body = await client.get(apiPath, { operation: 'kv_read' });
    } catch (error) {
      throw translate(error, shown);
    }
    const data = (body as { data?: { data?: unknown } } | null)?.data?.data;
    // A deleted or destroyed latest version answers 404 with metadata and `data: null`.
    if (data === null) throw notFound(shown);
    if (typeof data !== 'object' || data === undefined || Array.isArray(data)) {
      throw new VaultError(
        'BAD_RESPONSE',
        `vault: ${shown} did not answer a KV v2 secret (data.data)`,
        shown,
      );
    }
    return Object.fromEntries(
      Object.entries(data as Record<string, unknown>).map(([k, v]) => [
        k,
        typeof v === 'string' ? v : JSON.stringify(v),
      ]),
    );
  };

  const close = () => client.close();
  return { mount, read, close, [Symbol.asyncDispose]: close };
}

function translate(error: unknown, shown: string): unknown {
  if (!isIntegrationError(error)) return error;
  if (error.status === 403 || error.status === 401) {
    return new VaultError(
      'PERMISSION_DENIED',
      `vault: permission denied reading ${shown}: VAULT_TOKEN is invalid or expired, or its policy does not allow read on ${shown}`,
      shown,
      { cause: error },
    );
  }
  if (error.status === 404) return notFound(shown, error);
  return new VaultError('UNAVAILABLE', `vault: cannot read ${shown}: ${error.message}`, shown, {
    cause: error,
  });
}

function notFound(shown: string, cause?: unknown): VaultError {
  return new VaultError(
    'NOT_FOUND',
    `vault: no secret at ${shown} (or its latest version was deleted)`,
    shown,
    cause === undefined ? undefined : { cause },
  );
}

function relativePath(path: string, mount: string): string {
  let relative = trimSlashes(path);
  if (relative.startsWith(`${mount}/`)) relative = relative.slice(mount.length + 1);
  if (!relative || relative.split('/').some((s) => s === '' || s === '.' || s === '..')) {
    throw new VaultError('BAD_REFERENCE', `vault: ${JSON.stringify(path)} is not a secret path`, path);
  }
  return relative;
}

const trimSlashes = (s: string) => s.replace(/^\/+|\/+$/g, '');
const encodePath = (s: string) => s.split('/').map(encodeURIComponent).join('/');
