import type { QuotaBook } from '../quota.js';
import type { GitHubRoute } from './context.js';

/** `GET /rate_limit`: the quotas left; GitHub does not count this call against them. */
export function rateLimitRoutes(quota: QuotaBook): GitHubRoute[] {
  return [
    {
      method: 'GET',
      path: '/rate_limit',
      resource: null,
      handle() {
        const core = quota.snapshot('core');
        return { status: 200, json: { resources: { core, search: quota.snapshot('search') }, rate: core } };
      },
    },
  ];
}
