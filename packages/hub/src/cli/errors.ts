import { type ErrorType, isIntegrationError } from '@patchbay/core';
import { CommanderError } from 'commander';
import { isConfigError } from '../config/index.js';

/** The command's exit codes outside of integration calls. */
export const EXIT_CODES = {
  ok: 0,
  failure: 1,
  usage: 2,
} as const;

/**
 * Exit code of a call-like command (`patchbay call`, `patchbay test`) by the integration error's
 * type: validation 2, auth 3, rate-limited 4, temporary/timeout/circuit 5, permanent 6. A disabled
 * or unconfigured integration will not work on retry either, so it counts as permanent; the
 * generic `IntegrationError` is a plain failure (1).
 */
export const EXIT_CODE_BY_ERROR_TYPE: Record<ErrorType, number> = {
  IntegrationError: 1,
  IntegrationValidationError: 2,
  IntegrationAuthError: 3,
  IntegrationRateLimited: 4,
  IntegrationTemporaryError: 5,
  IntegrationTimeoutError: 5,
  CircuitOpenError: 5,
  IntegrationPermanentError: 6,
  IntegrationDisabled: 6,
  IntegrationNotConfigured: 6,
};

/** A failure the command reports as one line, with its exit code. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: number = EXIT_CODES.failure,
  ) {
    super(message);
    this.name = 'CliError';
  }
}

/** Wrong use of the command (exit 2). */
export class UsageError extends CliError {
  constructor(message: string) {
    super(message, EXIT_CODES.usage);
    this.name = 'UsageError';
  }
}

/** Already reported (e.g. by runHub): exit with the code, print nothing more. */
export class ReportedError extends CliError {
  constructor(exitCode: number = EXIT_CODES.failure) {
    super('', exitCode);
    this.name = 'ReportedError';
  }
}

/** The exit code for anything a command threw. */
export function exitCodeFor(error: unknown): number {
  if (error instanceof CommanderError) {
    // --help and --version end with 0; every other commander error is a usage error.
    return error.exitCode === 0 ? EXIT_CODES.ok : EXIT_CODES.usage;
  }
  if (error instanceof CliError) return error.exitCode;
  if (isIntegrationError(error)) return EXIT_CODE_BY_ERROR_TYPE[error.type] ?? EXIT_CODES.failure;
  return EXIT_CODES.failure;
}

/**
 * One line for stderr: the message only (never a stack), on one line, with every value in
 * `secrets` (master keys, tokens, the database password) cut out.
 */
export function errorLine(error: unknown, secrets: readonly (string | undefined)[] = []): string {
  let message: string;
  if (isConfigError(error)) message = error.message;
  else if (error instanceof Error) message = error.message || error.name;
  else message = String(error);
  for (const secret of secrets) {
    if (secret !== undefined && secret.length >= 4) message = message.split(secret).join('***');
  }
  return message.replace(/\s*\n\s*/g, '; ').trim();
}

/** Strings that must never appear in output: from the env and the database URL's password. */
export function secretValues(env: Record<string, string | undefined>): string[] {
  const values = [env.PATCHBAY_MASTER_KEY, env.PATCHBAY_ADMIN_TOKEN, env.VAULT_TOKEN];
  const url = env.DATABASE_URL;
  if (url) {
    try {
      const parsed = new URL(url);
      if (parsed.password) values.push(parsed.password, decodeURIComponent(parsed.password));
    } catch {
      // not a URL: config validation says so
    }
  }
  return values.filter((v): v is string => v !== undefined && v !== '');
}
