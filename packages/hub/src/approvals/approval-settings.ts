import { z } from 'zod';
import type { SettingSpec } from '../config/hub-settings.js';

/** `integration.operation`, each part a name or a glob with `*` (`slack.*`, `*.delete_*`). */
const PATTERN = /^[A-Za-z0-9_*-]+\.[A-Za-z0-9_*-]+$/;
const patternWhat = 'must be integration.operation patterns like transactions.commit_draft or slack.*';
const timeoutWhat = 'must be a number of seconds, > 0 and at most 86400';

/** A list as the env gives it (`"a.b, c.*"`, commas or spaces) or as a file gives it (an array). */
const splitList = (value: unknown) =>
  typeof value === 'string'
    ? value
        .split(/[\s,]+/)
        .map((item) => item.trim())
        .filter((item) => item !== '')
    : value;

const numeric = (value: unknown) =>
  typeof value === 'string' && value.trim() !== '' ? Number(value.trim()) : value;

/** The writes that need an admin's approval: a list of `integration.operation` patterns. */
export const ApprovalPatternsSchema = z.preprocess(
  splitList,
  z.array(z.string({ error: patternWhat }).regex(PATTERN, patternWhat), { error: patternWhat }),
);

/** How long a call waits for a decision, seconds (fractions allowed). */
export const ApprovalTimeoutSchema = z.preprocess(
  numeric,
  z.number({ error: timeoutWhat }).gt(0, timeoutWhat).max(86_400, timeoutWhat),
);

/**
 * Which writes wait for an admin's approval, and for how long.
 * @example
 * parseApprovalSettings({ required: 'transactions.commit_draft, slack.*', timeoutSeconds: '120' });
 */
export const ApprovalSettingsSchema = z.object({
  /** @default [] (no write needs approval) */
  required: ApprovalPatternsSchema.default([]),
  /** @default 300 */
  timeoutSeconds: ApprovalTimeoutSchema.default(300),
});

export type ApprovalSettings = z.output<typeof ApprovalSettingsSchema>;

/**
 * The two settings as hub settings, for `HUB_SETTINGS` (env, config file, stored):
 * `PATCHBAY_APPROVAL_REQUIRED` (`"transactions.commit_draft, slack.*"`) and
 * `PATCHBAY_APPROVAL_TIMEOUT` (seconds, default 300).
 */
export const APPROVAL_SETTINGS = {
  approvalRequired: { env: 'PATCHBAY_APPROVAL_REQUIRED', schema: ApprovalPatternsSchema, default: [] },
  approvalTimeout: { env: 'PATCHBAY_APPROVAL_TIMEOUT', schema: ApprovalTimeoutSchema, default: 300 },
} satisfies Record<string, SettingSpec>;

/** Parses approval settings; throws a ZodError naming the field (`required.0`, `timeoutSeconds`). */
export function parseApprovalSettings(value: unknown): ApprovalSettings {
  return ApprovalSettingsSchema.parse(value ?? {});
}

function globToRegExp(glob: string): RegExp {
  const escaped = glob.replace(/[.+?^${}()|[\]\\-]/g, '\\$&').replaceAll('*', '.*');
  return new RegExp(`^${escaped}$`);
}

/** Answers "does this write need approval?" from the patterns, once compiled. */
export class ApprovalPolicy {
  private readonly matchers: { integration: RegExp; operation: RegExp }[];
  readonly timeoutMs: number;

  constructor(settings: ApprovalSettings) {
    this.matchers = settings.required.map((pattern) => {
      const dot = pattern.indexOf('.');
      return {
        integration: globToRegExp(pattern.slice(0, dot)),
        operation: globToRegExp(pattern.slice(dot + 1)),
      };
    });
    this.timeoutMs = Math.round(settings.timeoutSeconds * 1000);
  }

  /** True when some pattern names this operation (the caller checks that it is a write). */
  matches(integration: string, operation: string): boolean {
    return this.matchers.some((m) => m.integration.test(integration) && m.operation.test(operation));
  }

  get empty(): boolean {
    return this.matchers.length === 0;
  }
}
