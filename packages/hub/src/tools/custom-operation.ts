import {
  type AnyOperation,
  defineOperation,
  type IntegrationDefinition,
  IntegrationValidationError,
  type Params,
} from '@patchbay/core';
import type { CustomToolSpec } from './custom-tool-spec.js';
import { compileParametersSchema } from './parameters-schema.js';
import { fillPath, parsePathTemplate, templateParams } from './path-template.js';

/** The definition a custom-tool copy was made from, so tools can be applied again from scratch. */
const BASES = new WeakMap<IntegrationDefinition, IntegrationDefinition>();

/** The definition as declared, without the custom tools {@link withCustomTools} added. */
export function baseDefinition(definition: IntegrationDefinition): IntegrationDefinition {
  return BASES.get(definition) ?? definition;
}

/**
 * A custom tool as an operation: its input is the parameter schema (compiled by zod), and a call
 * sends one request through the integration's client (so auth, retries, limits, breaker, audit
 * and errors are the integration's own): path parameters percent-encoded into the path, the
 * `query` parameters as the query string (arrays repeat the name), the `body` parameters as the
 * fields of a JSON object, the `headers` parameters as headers. The result is the parsed body.
 */
export function customOperation(spec: CustomToolSpec): AnyOperation<unknown> {
  const { input, issues } = compileParametersSchema(spec.parameters_schema);
  if (!input)
    throw new TypeError(
      `custom tool ${spec.name}: ${issues.map((i) => `${i.path} ${i.message}`).join('; ')}`,
    );
  const template = parsePathTemplate(spec.path);
  const pathParams = templateParams(template.parts);
  return defineOperation({
    description: spec.description,
    kind: spec.kind,
    idempotent: spec.idempotent,
    input,
    run: async (ctx, parsed) => {
      const values = (parsed ?? {}) as Record<string, unknown>;
      const empty = pathParams.filter(
        (p) => values[p] === undefined || values[p] === null || String(values[p]) === '',
      );
      if (empty.length > 0) {
        throw new IntegrationValidationError(
          `Invalid input for ${ctx.integration}.${ctx.operation}: a path parameter is empty`,
          {
            integration: ctx.integration,
            operation: ctx.operation,
            code: 'INVALID_INPUT',
            issues: empty.map((p) => ({ path: p, message: 'must not be empty: it fills the path' })),
          },
        );
      }
      const params: Params = {};
      for (const name of spec.query) {
        const value = values[name];
        if (value === undefined || value === null) continue;
        params[name] = Array.isArray(value) ? value.map(queryValue) : queryValue(value);
      }
      const headers: Record<string, string> = {};
      for (const [header, name] of Object.entries(spec.headers)) {
        const value = values[name];
        if (value === undefined || value === null) continue;
        if (/[\r\n\0]/.test(String(value))) {
          throw new IntegrationValidationError(
            `Invalid input for ${ctx.integration}.${ctx.operation}: a header value breaks lines`,
            {
              integration: ctx.integration,
              operation: ctx.operation,
              code: 'INVALID_INPUT',
              issues: [{ path: name, message: `goes in header ${header}, so it must be one line` }],
            },
          );
        }
        headers[header] = String(value);
      }
      const json: Record<string, unknown> = {};
      for (const name of spec.body) if (values[name] !== undefined) json[name] = values[name];
      const response = await ctx.http.request(spec.method, fillPath(template.parts, values), {
        ...(spec.query.length > 0 ? { params } : {}),
        ...(Object.keys(headers).length > 0 ? { headers } : {}),
        ...(spec.body.length > 0 ? { json } : {}),
      });
      return response.body;
    },
  }) as AnyOperation<unknown>;
}

/** A query value: scalars as they are, anything else as JSON text. */
function queryValue(value: unknown): string | number | boolean {
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean'
    ? value
    : JSON.stringify(value);
}

/**
 * The integration's definition with its custom tools added as operations (tools of other
 * integrations are ignored). Applied to a definition that already carries custom tools, it starts
 * again from the declared one, so a deleted tool disappears. A tool named like a declared
 * operation is refused (validation keeps that from happening).
 * @example
 * host.redefine(withCustomTools(host.get('rest').definition, specs));
 */
export function withCustomTools(
  definition: IntegrationDefinition,
  tools: readonly CustomToolSpec[],
): IntegrationDefinition {
  const base = baseDefinition(definition);
  const operations: Record<string, AnyOperation<never>> = {
    ...(base.operations as Record<string, AnyOperation<never>>),
  };
  for (const spec of tools) {
    if (spec.integration !== base.name) continue;
    if (Object.hasOwn(operations, spec.name)) {
      throw new TypeError(
        `${base.name} already has an operation ${spec.name}; a custom tool cannot replace it`,
      );
    }
    operations[spec.name] = customOperation(spec) as AnyOperation<never>;
  }
  const augmented = { ...base, operations } as IntegrationDefinition;
  BASES.set(augmented, base);
  return augmented;
}
