import { z } from 'zod';

/** A GitHub account as every `user`, `owner`, `assignee` and `author` field carries it, trimmed. */
export const GitHubAccount = z.object({
  login: z.string(),
  id: z.number(),
  /** `User`, `Organization` or `Bot`. */
  type: z.string(),
  html_url: z.string(),
});
export type GitHubAccount = z.output<typeof GitHubAccount>;

/**
 * An account field GitHub may leave `null`, or send as `{}` (a commit whose git identity matches
 * no account): both become `null`.
 */
export const OptionalAccount = z.preprocess(
  (value) => (value !== null && typeof value === 'object' && !('login' in value) ? null : value),
  GitHubAccount.nullable(),
);
