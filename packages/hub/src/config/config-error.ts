const BRAND = Symbol.for('patchbay.ConfigError');

/** One problem: `name` is the env variable or the file/stored path, as the user wrote it. */
export interface ConfigIssue {
  name: string;
  /** What is wrong, e.g. `must be an integer 0-65535, got 'abc'`; never a secret value. */
  message: string;
}

/** Bad configuration: every problem found, not just the first, so one restart fixes them all. */
export class ConfigError extends Error {
  readonly issues: readonly ConfigIssue[];
  declare readonly [BRAND]: true;

  constructor(issues: readonly ConfigIssue[]) {
    const lines = issues.map((issue) => `  - ${issue.name}: ${issue.message}`);
    super(
      `invalid configuration (${issues.length} problem${issues.length === 1 ? '' : 's'}):\n${lines.join('\n')}`,
    );
    this.issues = issues;
    Object.defineProperty(this, BRAND, { value: true });
  }

  override get name(): string {
    return 'ConfigError';
  }
}

export function isConfigError(value: unknown): value is ConfigError {
  return typeof value === 'object' && value !== null && (value as { [BRAND]?: unknown })[BRAND] === true;
}

const SENSITIVE = /TOKEN|SECRET|KEY|PASSWORD|PASSWD|CREDENTIAL|PRIVATE/i;

/** True for a variable or path whose value must never be echoed (`GITHUB_TOKEN`, `hub.masterKey`). */
export function isSensitiveName(name: string): boolean {
  const last = name.split('.').pop() ?? name;
  return SENSITIVE.test(last);
}

/**
 * How a bad value is quoted in an error: hidden for sensitive names, without the password of a
 * URL, shortened when long.
 */
export function describeValue(name: string, value: unknown): string {
  if (isSensitiveName(name)) return '(value hidden)';
  let text = typeof value === 'string' ? value : JSON.stringify(value);
  if (text === undefined) return String(value);
  text = text.replace(/^([a-z][a-z0-9+.-]*:\/\/[^/:@\s]*):[^@/\s]*@/i, '$1:***@');
  if (text.length > 60) text = `${text.slice(0, 57)}...`;
  return typeof value === 'string' ? `'${text}'` : text;
}
