import { secret } from '@patchbay/core';
import { z } from 'zod';

/**
 * GitHub's config. `token` is a personal access token (classic or fine-grained) or a GitHub App
 * installation token; `baseUrl` is `https://HOST/api/v3` for GitHub Enterprise Server.
 */
export const GitHubConfigSchema = z.object({
  // A secret is registered by identity: `.describe()` would clone it and lose the mark.
  token: secret(),
  baseUrl: z
    .url({ protocol: /^https?$/ })
    .default('https://api.github.com')
    .describe('REST API root: https://api.github.com, or https://HOST/api/v3 for GitHub Enterprise Server'),
  maxPages: z.coerce
    .number()
    .int()
    .min(1)
    .max(100)
    .default(10)
    .describe('Most pages one list operation fetches, whatever its limit'),
  perPage: z.coerce
    .number()
    .int()
    .min(1)
    .max(100)
    .default(100)
    .describe("Items asked for per page (GitHub's per_page, at most 100)"),
});

/** The parsed config every GitHub operation receives. */
export type GitHubConfig = z.output<typeof GitHubConfigSchema>;
