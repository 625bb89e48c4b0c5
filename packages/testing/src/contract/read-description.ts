import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';

/** An OpenAPI 3.x or Swagger 2.0 document, as parsed (no assumptions beyond being an object). */
export type ApiDocument = Record<string, unknown>;

/**
 * Reads an API description from a JSON or YAML file. JSON is tried first (it is much faster to parse,
 * and every JSON file is also YAML, so the extension alone cannot be trusted).
 */
export function readDescription(file: string): ApiDocument {
  const text = readFileSync(file, 'utf8');
  const parsed = parseText(text, file);
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new Error(`${file} is not an API description (expected an object at the top level)`);
  }
  const document = parsed as ApiDocument;
  if (typeof document.openapi !== 'string' && document.swagger !== '2.0') {
    throw new Error(`${file} is neither OpenAPI 3 (no "openapi" field) nor Swagger 2.0`);
  }
  return document;
}

function parseText(text: string, file: string): unknown {
  const looksLikeJson = /^\s*[{[]/.test(text);
  if (looksLikeJson) {
    try {
      return JSON.parse(text);
    } catch {
      // JSON-looking YAML (flow style) still parses below.
    }
  }
  try {
    // The GitHub-sized descriptions are JSON; YAML ones can still hold many aliases.
    return parseYaml(text, { maxAliasCount: -1 });
  } catch (error) {
    throw new Error(`${file} is neither JSON nor YAML: ${(error as Error).message}`);
  }
}
