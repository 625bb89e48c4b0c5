import type { Client, RequestOptions } from '../client/client.js';

/**
 * A view of `client` whose calls carry `defaults` (the operation's name for metrics and errors,
 * the caller's abort signal) unless a call says otherwise.
 */
export function bindClient(client: Client, defaults: RequestOptions): Client {
  const merge = (options?: RequestOptions): RequestOptions =>
    options ? { ...defaults, ...options } : defaults;
  return {
    name: client.name,
    request: (method, path, options) => client.request(method, path, merge(options)),
    get: (path, options) => client.get(path, merge(options)),
    post: (path, options) => client.post(path, merge(options)),
    put: (path, options) => client.put(path, merge(options)),
    patch: (path, options) => client.patch(path, merge(options)),
    delete: (path, options) => client.delete(path, merge(options)),
    requestJson: (method, path, options) => client.requestJson(method, path, merge(options)),
    requestBytes: (method, path, options) => client.requestBytes(method, path, merge(options)),
    fetch: client.fetch,
    healthCheck: () => client.healthCheck(),
    getMetrics: () => client.getMetrics(),
    getStatus: () => client.getStatus(),
    resetMetrics: () => client.resetMetrics(),
    close: () => client.close(),
    [Symbol.asyncDispose]: () => client.close(),
  };
}
