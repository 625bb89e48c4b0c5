import type { FieldIssue } from '@patchbay/core';
import { z } from 'zod';
import { zodIssues } from '../server/hub-errors.js';
import type { JsonSchema } from './json-schema.js';
import { compileParametersSchema, propertyTypes } from './parameters-schema.js';
import { parsePathTemplate, templateParams } from './path-template.js';
import { isObject } from './schema-refs.js';
import { toolName } from './tool-catalog.js';

export const CUSTOM_TOOL_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;
export type CustomToolMethod = (typeof CUSTOM_TOOL_METHODS)[number];

/** A custom tool as stored: the request, validated, with every default settled. */
export interface CustomToolSpec {
  /** The operation name; the tool is `<integration>_<name>`. */
  name: string;
  description: string;
  integration: string;
  method: CustomToolMethod;
  /** `'/items/{id}'`: each `{param}` is a required parameter, percent-encoded into its place. */
  path: string;
  parameters_schema: JsonSchema;
  kind: 'read' | 'write';
  idempotent: boolean;
  /** Parameters sent as query parameters (an array repeats the name). */
  query: string[];
  /** Parameters sent as the fields of a JSON body. */
  body: string[];
  /** Header name → the parameter whose value it carries. */
  headers: Record<string, string>;
}

/** What validation needs to know about the hub. */
export interface CustomToolContext {
  /** Every integration the hub serves. */
  integrations: readonly string[];
  /** The ones custom tools may be added to (generic REST integrations). */
  customizable: readonly string[];
  /** The operations an integration already has (built-in and custom). */
  operationsOf(integration: string): readonly string[];
  /** Tool names in use anywhere (operations and aliases of every integration). */
  toolNames: ReadonlySet<string>;
}

const OPERATION_NAME = /^[a-z][a-z0-9_]{0,47}$/;
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]{1,100}$/;
/** Credentials come from the integration's auth; the rest belong to the transport. */
const RESERVED_HEADERS = new Set([
  'authorization',
  'proxy-authorization',
  'cookie',
  'host',
  'content-length',
  'content-type',
  'transfer-encoding',
  'connection',
  'keep-alive',
  'upgrade',
  'te',
  'trailer',
  'expect',
]);
const SCALARS = new Set(['string', 'integer', 'number', 'boolean']);

/** `POST /api/tools`. */
export const CustomToolRequest = z.strictObject({
  name: z
    .string()
    .regex(OPERATION_NAME, 'must be lower-case letters, digits and _, starting with a letter, at most 48'),
  description: z.string().trim().min(1).max(1024),
  integration: z.string().min(1).default('rest'),
  method: z
    .string()
    .transform((m) => m.toUpperCase())
    .pipe(z.enum(CUSTOM_TOOL_METHODS)),
  path: z.string().min(1).max(2048),
  parameters_schema: z.record(z.string(), z.unknown()).default({ type: 'object', properties: {} }),
  kind: z.enum(['read', 'write']).optional(),
  idempotent: z.boolean().optional(),
  query: z.array(z.string()).max(100).optional(),
  body: z.array(z.string()).max(100).optional(),
  headers: z.record(z.string(), z.string()).optional(),
});

/**
 * Validates a custom tool request against the hub: every problem at once, each with its field
 * path (`path`, `parameters_schema.required`, `query.0`, `headers.Authorization`, …).
 */
export function parseCustomTool(
  raw: unknown,
  context: CustomToolContext,
): { spec: CustomToolSpec; issues: [] } | { spec?: undefined; issues: FieldIssue[] } {
  const parsed = CustomToolRequest.safeParse(raw ?? {});
  if (!parsed.success) return { issues: zodIssues(parsed.error.issues) };
  const request = parsed.data;
  const issues: FieldIssue[] = [];

  const { integration, name, method } = request;
  if (!context.integrations.includes(integration)) {
    issues.push({
      path: 'integration',
      message: `no integration named ${integration} (custom tools go on: ${context.customizable.join(', ') || 'none'})`,
    });
  } else if (!context.customizable.includes(integration)) {
    issues.push({
      path: 'integration',
      message: `${integration} is not a generic REST integration (custom tools go on: ${context.customizable.join(', ') || 'none'})`,
    });
  } else {
    const tool = toolName(integration, name);
    if (context.operationsOf(integration).includes(name))
      issues.push({ path: 'name', message: `${integration} already has an operation ${name}` });
    else if (context.toolNames.has(tool))
      issues.push({ path: 'name', message: `a tool named ${tool} exists` });
    if (tool.length > 64)
      issues.push({ path: 'name', message: `makes the tool name ${tool} longer than 64 characters` });
  }

  const template = parsePathTemplate(request.path);
  issues.push(...template.issues);
  const schema = request.parameters_schema;
  issues.push(...compileParametersSchema(schema).issues);
  const properties = isObject(schema.properties) ? schema.properties : {};
  const required = Array.isArray(schema.required) ? schema.required : [];
  const names = Object.keys(properties);
  const scalar = (param: string) => propertyTypes(properties[param]).every((t) => SCALARS.has(t));

  const pathParams = templateParams(template.parts);
  for (const param of pathParams) {
    if (!(param in properties)) {
      issues.push({ path: 'path', message: `{${param}} is not a property of parameters_schema` });
      continue;
    }
    if (!required.includes(param))
      issues.push({ path: 'parameters_schema.required', message: `must list ${param}: it fills the path` });
    if (!scalar(param))
      issues.push({
        path: `parameters_schema.properties.${param}`,
        message: 'fills the path, so it must be a string, number, integer or boolean',
      });
  }

  const headers = request.headers ?? {};
  for (const [header, param] of Object.entries(headers)) {
    if (!HEADER_NAME.test(header))
      issues.push({ path: `headers.${header}`, message: 'is not a header name' });
    else if (RESERVED_HEADERS.has(header.toLowerCase())) {
      issues.push({
        path: `headers.${header}`,
        message: "is set by the integration's auth or the transport",
      });
    }
    if (!(param in properties))
      issues.push({ path: `headers.${header}`, message: `${param} is not a property of parameters_schema` });
    else if (!scalar(param))
      issues.push({
        path: `headers.${header}`,
        message: `${param} must be a string, number, integer or boolean`,
      });
  }

  const placed = new Set([...pathParams, ...Object.values(headers)]);
  const checkList = (list: string[] | undefined, field: 'query' | 'body', other: string[] | undefined) => {
    (list ?? []).forEach((param, i) => {
      if (!(param in properties))
        issues.push({ path: `${field}.${i}`, message: `${param} is not a property of parameters_schema` });
      else if (placed.has(param))
        issues.push({ path: `${field}.${i}`, message: `${param} is already sent in the path or a header` });
      else if (field === 'body' && other?.includes(param))
        issues.push({ path: `${field}.${i}`, message: `${param} is also in query` });
      else if (field === 'query' && propertyTypes(properties[param]).includes('object')) {
        issues.push({ path: `${field}.${i}`, message: `${param} is an object: send it in the body` });
      }
    });
  };
  checkList(request.query, 'query', undefined);
  checkList(request.body, 'body', request.query);

  const hasBody = method !== 'GET';
  const rest = names.filter(
    (n) => !placed.has(n) && !request.query?.includes(n) && !request.body?.includes(n),
  );
  let query = request.query ?? [];
  let body = request.body ?? [];
  if (request.query === undefined && request.body === undefined) {
    if (method === 'GET' || method === 'DELETE') query = rest;
    else body = rest;
  } else if (request.body === undefined && hasBody) body = rest;
  else if (request.query === undefined) query = rest;
  else
    for (const n of rest)
      issues.push({
        path: `parameters_schema.properties.${n}`,
        message: 'is not sent: list it in query, body or headers',
      });
  if (!hasBody && body.length > 0) issues.push({ path: 'body', message: 'a GET request has no body' });
  if (request.query === undefined) {
    for (const param of query) {
      if (propertyTypes(properties[param]).includes('object')) {
        issues.push({
          path: `parameters_schema.properties.${param}`,
          message: `is an object, and a ${method} sends its parameters in the query: list it in body`,
        });
      }
    }
  }

  if (issues.length > 0) return { issues };
  const kind = request.kind ?? (method === 'GET' ? 'read' : 'write');
  return {
    spec: {
      name,
      description: request.description,
      integration,
      method,
      path: request.path,
      parameters_schema: schema,
      kind,
      idempotent: request.idempotent ?? (kind === 'read' || method === 'PUT' || method === 'DELETE'),
      query,
      body,
      headers,
    },
    issues: [],
  };
}
