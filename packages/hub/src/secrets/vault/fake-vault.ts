// Test helper: a loopback server that speaks the parts of Vault's KV v2 HTTP API the reader uses.
import { type FakeUpstream, startFakeUpstream } from '@patchbay/testing';

export interface FakeVault extends AsyncDisposable {
  readonly url: string;
  readonly upstream: FakeUpstream;
  /** Sets (or replaces) the secret at `<mount>/<path>`; `null` marks its latest version deleted. */
  put(mount: string, path: string, data: Record<string, unknown> | null): void;
  close(): Promise<void>;
}

/**
 * `GET /v1/<mount>/data/<path>` answers like Vault: 403 `permission denied` for a wrong token, 404
 * with `errors: []` for an unknown path, 404 with metadata and `data: null` for a deleted version.
 */
export async function startFakeVault(options: { token: string; namespace?: string }): Promise<FakeVault> {
  const upstream = await startFakeUpstream();
  const secrets = new Map<string, Record<string, unknown> | null>();
  upstream.on('GET', '/v1/*', (req) => {
    const namespaceOk =
      options.namespace === undefined || req.headers['x-vault-namespace'] === options.namespace;
    if (req.headers['x-vault-token'] !== options.token || !namespaceOk) {
      return { status: 403, json: { errors: ['permission denied'] } };
    }
    const match = /^\/v1\/(.+?)\/data\/(.+)$/.exec(decodeURIComponent(req.path));
    const key = match ? `${match[1]}/${match[2]}` : '';
    if (!secrets.has(key)) return { status: 404, json: { errors: [] } };
    const data = secrets.get(key) ?? null;
    const metadata = {
      created_time: '2024-01-01T00:00:00.000Z',
      custom_metadata: null,
      deletion_time: data === null ? '2024-02-01T00:00:00.000Z' : '',
      destroyed: false,
      version: 1,
    };
    return {
      status: data === null ? 404 : 200,
      json: {
        request_id: 'fake',
        lease_id: '',
        renewable: false,
        lease_duration: 0,
        data: { data, metadata },
        wrap_info: null,
        warnings: null,
        auth: null,
      },
    };
  });
  const close = () => upstream.close();
  return {
    url: upstream.url,
    upstream,
    put(mount, path, data) {
      secrets.set(`${mount}/${path}`, data);
    },
    close,
    [Symbol.asyncDispose]: close,
  };
}
