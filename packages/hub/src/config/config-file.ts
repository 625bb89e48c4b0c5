import { existsSync, readFileSync } from 'node:fs';
import { basename, extname, resolve } from 'node:path';
import { parse as parseYaml, YAMLParseError } from 'yaml';
import type { ConfigIssue } from './config-error.js';

export const CONFIG_FILE_NAMES = [
  'patchbay.config.yaml',
  'patchbay.config.yml',
  'patchbay.config.json',
] as const;

export interface ConfigFile {
  /** Absolute path. */
  path: string;
  /** The parsed document (`{}` for an empty file). */
  content: unknown;
}

/**
 * Finds and parses the config file: `PATCHBAY_CONFIG` when set (it must exist), else the one
 * `patchbay.config.{yaml,yml,json}` in `cwd`. Two candidates at once is an error, not a guess.
 */
export function readConfigFile(
  env: Record<string, string | undefined>,
  cwd: string,
  issues: ConfigIssue[],
): ConfigFile | undefined {
  const explicit = env.PATCHBAY_CONFIG?.trim();
  let path: string;
  if (explicit) {
    path = resolve(cwd, explicit);
    if (!existsSync(path)) {
      issues.push({ name: 'PATCHBAY_CONFIG', message: `no such file: ${path}` });
      return undefined;
    }
  } else {
    const found = CONFIG_FILE_NAMES.map((name) => resolve(cwd, name)).filter((p) => existsSync(p));
    if (found.length > 1) {
      issues.push({
        name: 'config file',
        message: `found ${found.map((p) => basename(p)).join(' and ')} in ${cwd}; keep one`,
      });
      return undefined;
    }
    if (!found[0]) return undefined;
    path = found[0];
  }
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    issues.push({ name: basename(path), message: `cannot read ${path}: ${(error as Error).message}` });
    return undefined;
  }
  const json = extname(path).toLowerCase() === '.json';
  try {
    const content: unknown = json ? JSON.parse(text) : parseYaml(text, { prettyErrors: true });
    return { path, content: content ?? {} };
  } catch (error) {
    issues.push({
      name: basename(path),
      message: `is not valid ${json ? 'JSON' : 'YAML'}: ${parseProblem(error, text)}`,
    });
    return undefined;
  }
}

/**
 * Where the parser stopped, without the text around it: V8's JSON errors and YAML's pretty errors
 * quote the input, and the input may hold a credential.
 */
function parseProblem(error: unknown, text: string): string {
  if (error instanceof YAMLParseError) {
    const what = error.message.split('\n')[0]?.replace(/ at line \d+, column \d+:?$/, '') ?? 'syntax error';
    const at = error.linePos?.[0];
    return at ? `${what} at line ${at.line}, column ${at.col}` : what;
  }
  const message = String((error as Error).message);
  const lineColumn = /line (\d+) column (\d+)/.exec(message);
  if (lineColumn) return `syntax error at line ${lineColumn[1]}, column ${lineColumn[2]}`;
  const position = /position (\d+)/.exec(message)?.[1];
  if (position === undefined) return 'syntax error';
  const before = text.slice(0, Number(position)).split('\n');
  return `syntax error at line ${before.length}, column ${(before.at(-1)?.length ?? 0) + 1}`;
}
