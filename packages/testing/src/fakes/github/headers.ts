import type { FakeResponse } from '../../types.js';

/** GitHub's standard response headers and the rate-limit headers, under any the route set itself. */
export function withHeaders(response: FakeResponse, rateHeaders: Record<string, string>): FakeResponse {
  return {
    ...response,
    headers: {
      'content-type': 'application/json; charset=utf-8',
      'x-github-api-version-selected': '2022-11-28',
      'x-github-media-type': 'github.v3; format=json',
      'x-github-request-id': `FAKE:${Math.random().toString(16).slice(2, 10).toUpperCase()}`,
      ...rateHeaders,
      ...response.headers,
    },
  };
}
