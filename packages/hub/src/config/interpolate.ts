const PATTERN = /\$\$\{|\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}/g;

export interface Interpolation {
  value: string;
  /** Variables referenced that are unset (or empty) and have no `:-default`. */
  missing: string[];
  /** Variables whose values were substituted. */
  used: string[];
}

/**
 * Replaces `${NAME}` with the env variable and `${NAME:-fallback}` with it or the fallback (when
 * unset or empty); `$${` is a literal `${`. Runs on parsed values, never on file text, so a value
 * cannot inject YAML.
 * @example interpolate('Bearer ${GITHUB_TOKEN}', process.env)
 */
export function interpolate(text: string, env: Record<string, string | undefined>): Interpolation {
  const missing: string[] = [];
  const used: string[] = [];
  const value = text.replace(PATTERN, (whole, name: string | undefined, fallback: string | undefined) => {
    if (whole === '$${') return '${';
    const found = env[name as string];
    if (found !== undefined && found !== '') {
      used.push(name as string);
      return found;
    }
    if (fallback !== undefined) return fallback;
    missing.push(name as string);
    return '';
  });
  return { value, missing, used };
}
