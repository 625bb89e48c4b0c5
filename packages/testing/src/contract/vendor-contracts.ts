import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadApiContract } from './api-contract.js';
import type { ApiContract, ApiContractOptions } from './types.js';

/** The vendors whose published descriptions the repository checks its connectors and fakes against. */
export type ContractVendor = 'github' | 'slack' | 'jira';

const REPO_ROOT = new URL('../../../../', import.meta.url);
const GITHUB_DESCRIPTION = '@octokit/openapi/generated/api.github.com.json';

const SHARED_SPECS: Record<
  Exclude<ContractVendor, 'github'>,
  { file: string; options: ApiContractOptions }
> = {
  // Slack's description dates from 2021 and fails its own examples; see each option's documentation.
  slack: {
    file: 'slack-web-api.openapi2.json',
    options: {
      basePath: '/api',
      errorsMayUseSuccessStatus: true,
      allowUndocumentedProperties: true,
      openEnumProperties: ['error'],
    },
  },
  // Jira's paths already hold `/rest/api/3`, and its server URL has no path.
  jira: { file: 'jira-platform-v3.openapi3.json', options: { basePath: '' } },
};

/**
 * The vendor descriptions the repository uses, loaded once per process:
 * - `github`: `@octokit/openapi`'s `generated/api.github.com.json` (a devDependency of
 *   `@patchbay/connectors`, resolved from that package or the repository root);
 * - `slack`: Slack's Swagger 2.0 Web API description, base path `/api`. It dates from 2021 and fails
 *   its own examples, so it is read leniently: an `ok: false` error body is accepted with any status
 *   (Slack sends errors with 200), undocumented fields are accepted (Slack has added many since), and
 *   `error` codes are not limited to each method's list (generic ones such as `ratelimited` are
 *   missing from most). A `token` parameter is satisfied by an `Authorization: Bearer` header, as for
 *   every contract;
 * - `jira`: the Jira Cloud platform REST v3 description.
 *
 * Slack's and Jira's are copies kept in `packages/testing/specs` (provenance in its README);
 * set `PATCHBAY_SPECS_DIR` to read them from elsewhere.
 *
 * @example
 * ```ts
 * const github = vendorContract('github');
 * expect(github.checkRequest(contractRequestOf(up.requests[0]!))).toEqual([]);
 * ```
 */
export function vendorContract(vendor: ContractVendor): ApiContract {
  if (vendor === 'github') return loadApiContract(githubDescriptionFile(), { basePath: '' });
  const { file, options } = SHARED_SPECS[vendor];
  return loadApiContract(join(specsDirectory(), file), options);
}

function specsDirectory(): string {
  const override = process.env.PATCHBAY_SPECS_DIR;
  if (override) return override;
  // Kept in the package (packages/testing/specs), so the tests run wherever the repo is checked out.
  return fileURLToPath(new URL('../../specs/', import.meta.url));
}

function githubDescriptionFile(): string {
  const lookedIn: string[] = [];
  for (const from of ['packages/connectors/package.json', 'package.json']) {
    const anchor = new URL(from, REPO_ROOT);
    lookedIn.push(fileURLToPath(anchor));
    if (!existsSync(anchor)) continue;
    try {
      return createRequire(anchor).resolve(GITHUB_DESCRIPTION);
    } catch {
      // Not installed beside this anchor: try the next one.
    }
  }
  throw new Error(
    `${GITHUB_DESCRIPTION} is not installed (looked from ${lookedIn.join(' and ')}); run npm ci`,
  );
}
