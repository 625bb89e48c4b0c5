// Each provider's documented rules for tool definitions, as checks: a test asserts our output
// breaks none of them. Sources: OpenAI's Structured Outputs "supported schemas" (strict mode),
// Anthropic's tool-use docs and its API errors ("input_schema does not support oneOf, allOf, or
// anyOf at the top level"), Gemini's FunctionDeclaration and Schema reference (an OpenAPI 3.0
// subset; its API errors "properties: should be non-empty for OBJECT type", "only allowed for
// OBJECT type").
import type { AnthropicTool } from './anthropic-format.js';
import type { GeminiFunctionDeclaration } from './gemini-format.js';
import type { JsonSchema } from './json-schema.js';
import { OPENAI_STRICT_FORMATS, type OpenAiFunctionTool } from './openai-format.js';

type Node = Record<string, unknown>;
const isNode = (v: unknown): v is Node => typeof v === 'object' && v !== null && !Array.isArray(v);
const FUNCTION_NAME = /^[a-zA-Z0-9_-]{1,64}$/;

const OPENAI_TYPES = new Set(['string', 'number', 'integer', 'boolean', 'object', 'array', 'null']);
const OPENAI_KEYWORDS_BY_TYPE: Record<string, string[]> = {
  string: ['pattern', 'format'],
  number: ['minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum', 'multipleOf'],
  integer: ['minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum', 'multipleOf'],
  array: ['items', 'minItems', 'maxItems'],
  object: ['properties', 'required', 'additionalProperties'],
};
const OPENAI_COMMON = ['type', 'description', 'enum', 'const', 'anyOf', '$ref'];

/** Everything OpenAI strict mode would refuse in a function tool. */
export function openAiStrictProblems(tool: OpenAiFunctionTool): string[] {
  const problems: string[] = [];
  const { name, parameters, strict } = tool.function;
  if (tool.type !== 'function') problems.push('type must be function');
  if (!FUNCTION_NAME.test(name)) problems.push(`name ${name} breaks ^[a-zA-Z0-9_-]{1,64}$`);
  if (strict !== true) problems.push('strict is not true');
  if (parameters.type !== 'object') problems.push('root must be type object');
  if ('anyOf' in parameters) problems.push('root must not be anyOf');
  const defs = isNode(parameters.$defs) ? parameters.$defs : {};
  let objects = 0;
  let properties = 0;
  let enumValues = 0;
  const walk = (node: unknown, at: string, depth: number): void => {
    if (!isNode(node)) return void problems.push(`${at}: not a schema`);
    const types =
      typeof node.type === 'string' ? [node.type] : Array.isArray(node.type) ? (node.type as string[]) : [];
    if (
      types.length === 0 &&
      !('anyOf' in node) &&
      !('$ref' in node) &&
      !('enum' in node) &&
      !('const' in node)
    ) {
      problems.push(`${at}: says nothing about the value (strict mode has no "any")`);
    }
    for (const t of types) if (!OPENAI_TYPES.has(t)) problems.push(`${at}: unknown type ${t}`);
    const allowed = new Set([...OPENAI_COMMON, ...types.flatMap((t) => OPENAI_KEYWORDS_BY_TYPE[t] ?? [])]);
    if (at === 'parameters') allowed.add('$defs');
    for (const key of Object.keys(node))
      if (!allowed.has(key)) problems.push(`${at}: keyword ${key} is not supported here`);
    if (typeof node.pattern === 'string' && /\(\?[=!<]|\\[1-9]/.test(node.pattern)) {
      problems.push(`${at}: pattern uses lookaround or backreferences`);
    }
    if (typeof node.format === 'string' && !OPENAI_STRICT_FORMATS.has(node.format)) {
      problems.push(`${at}: format ${node.format} is not supported`);
    }
    if (typeof node.$ref === 'string') {
      const target =
        node.$ref === '#'
          ? parameters
          : node.$ref.startsWith('#/$defs/')
            ? defs[node.$ref.slice(8)]
            : undefined;
      if (target === undefined) problems.push(`${at}: $ref ${node.$ref} does not resolve`);
    }
    if (Array.isArray(node.enum)) {
      enumValues += node.enum.length;
      for (const value of node.enum) {
        const ok =
          types.length === 0 ||
          types.some((t) =>
            t === 'integer' ? Number.isInteger(value) : t === 'null' ? value === null : typeof value === t,
          );
        if (!ok) problems.push(`${at}: enum value ${JSON.stringify(value)} is not of its type`);
      }
    }
    if (types.includes('object')) {
      objects++;
      if (depth >= 10) problems.push(`${at}: objects nested deeper than 10`);
      if (node.additionalProperties !== false) problems.push(`${at}: additionalProperties must be false`);
      const props = isNode(node.properties) ? Object.keys(node.properties) : [];
      properties += props.length;
      const required = Array.isArray(node.required) ? (node.required as string[]) : [];
      if (!isNode(node.properties)) problems.push(`${at}: object without properties`);
      if (required.length !== props.length || !props.every((p) => required.includes(p))) {
        problems.push(
          `${at}: required must list every property (${props.join(',')} vs ${required.join(',')})`,
        );
      }
      for (const [key, child] of Object.entries(isNode(node.properties) ? node.properties : {})) {
        walk(child, `${at}.properties.${key}`, depth + 1);
      }
    }
    if (types.includes('array')) {
      if (!('items' in node)) problems.push(`${at}: array without items`);
      else walk(node.items, `${at}.items`, depth);
    }
    if (Array.isArray(node.anyOf))
      for (const [i, option] of node.anyOf.entries()) walk(option, `${at}.anyOf.${i}`, depth);
  };
  walk(parameters, 'parameters', 0);
  for (const [key, def] of Object.entries(defs)) walk(def, `parameters.$defs.${key}`, 1);
  if (properties > 5000) problems.push('more than 5000 properties');
  if (enumValues > 1000) problems.push('more than 1000 enum values');
  if (objects === 0) problems.push('no object at all');
  return problems;
}

/** Everything Anthropic would refuse in a tool. */
export function anthropicProblems(tool: AnthropicTool): string[] {
  const problems: string[] = [];
  if (!FUNCTION_NAME.test(tool.name)) problems.push(`name ${tool.name} breaks ^[a-zA-Z0-9_-]{1,64}$`);
  const schema = tool.input_schema;
  if (schema.type !== 'object') problems.push('input_schema.type must be object');
  for (const key of ['anyOf', 'oneOf', 'allOf'])
    if (key in schema) problems.push(`input_schema has ${key} at the top level`);
  const walk = (node: unknown, at: string): void => {
    if (!isNode(node)) return;
    if (typeof node.$ref === 'string' && node.$ref !== '#' && !resolves(schema, node.$ref)) {
      problems.push(`${at}: $ref ${node.$ref} does not resolve`);
    }
    for (const [key, value] of Object.entries(node)) {
      if (['properties', '$defs'].includes(key) && isNode(value)) {
        for (const [name, child] of Object.entries(value)) walk(child, `${at}.${key}.${name}`);
      } else if (['items', 'additionalProperties'].includes(key)) walk(value, `${at}.${key}`);
      else if (key === 'anyOf' && Array.isArray(value))
        for (const [i, v] of value.entries()) walk(v, `${at}.anyOf.${i}`);
    }
  };
  walk(schema, 'input_schema');
  return problems;
}

const GEMINI_TYPES = new Set(['STRING', 'NUMBER', 'INTEGER', 'BOOLEAN', 'ARRAY', 'OBJECT']);
const GEMINI_FIELDS = new Set([
  'type',
  'format',
  'title',
  'description',
  'nullable',
  'enum',
  'maxItems',
  'minItems',
  'properties',
  'required',
  'minProperties',
  'maxProperties',
  'minLength',
  'maxLength',
  'pattern',
  'example',
  'anyOf',
  'propertyOrdering',
  'default',
  'items',
  'minimum',
  'maximum',
]);
const GEMINI_FIELD_TYPES: Record<string, string> = {
  properties: 'OBJECT',
  required: 'OBJECT',
  minProperties: 'OBJECT',
  maxProperties: 'OBJECT',
  propertyOrdering: 'OBJECT',
  items: 'ARRAY',
  minItems: 'ARRAY',
  maxItems: 'ARRAY',
  minLength: 'STRING',
  maxLength: 'STRING',
  pattern: 'STRING',
  enum: 'STRING',
  minimum: 'NUMBER|INTEGER',
  maximum: 'NUMBER|INTEGER',
};
const GEMINI_FORMATS: Record<string, string[]> = {
  STRING: ['enum', 'date-time'],
  NUMBER: ['float', 'double'],
  INTEGER: ['int32', 'int64'],
};
const GEMINI_NAME = /^[a-zA-Z_][a-zA-Z0-9_.:-]{0,63}$/;
const GEMINI_PARAMETER = /^[a-zA-Z_][a-zA-Z0-9_]{0,63}$/;

/** Everything Gemini would refuse in a function declaration. */
export function geminiProblems(declaration: GeminiFunctionDeclaration): string[] {
  const problems: string[] = [];
  if (!GEMINI_NAME.test(declaration.name))
    problems.push(`name ${declaration.name} breaks Gemini's name rule`);
  const parameters = declaration.parameters;
  if (parameters === undefined) return problems;
  if (parameters.type !== 'OBJECT') problems.push('parameters.type must be OBJECT');
  for (const name of Object.keys(isNode(parameters.properties) ? parameters.properties : {})) {
    if (!GEMINI_PARAMETER.test(name)) problems.push(`parameter name ${name} breaks Gemini's rule`);
  }
  const walk = (node: unknown, at: string): void => {
    if (!isNode(node)) return void problems.push(`${at}: not a schema`);
    for (const key of Object.keys(node))
      if (!GEMINI_FIELDS.has(key)) problems.push(`${at}: field ${key} is not in Gemini's Schema`);
    const type = node.type;
    if (type === undefined && !Array.isArray(node.anyOf)) problems.push(`${at}: neither type nor anyOf`);
    if (type !== undefined && Array.isArray(node.anyOf)) problems.push(`${at}: type beside anyOf`);
    if (type !== undefined && (typeof type !== 'string' || !GEMINI_TYPES.has(type)))
      problems.push(`${at}: type ${String(type)}`);
    for (const [key, owner] of Object.entries(GEMINI_FIELD_TYPES)) {
      if (key in node && !owner.split('|').includes(String(type)))
        problems.push(`${at}: ${key} only allowed for ${owner}`);
    }
    if (typeof node.format === 'string' && !(GEMINI_FORMATS[String(type)] ?? []).includes(node.format)) {
      problems.push(`${at}: format ${node.format} not supported for ${String(type)}`);
    }
    if (Array.isArray(node.enum) && !node.enum.every((v) => typeof v === 'string'))
      problems.push(`${at}: enum values must be strings`);
    if (typeof node.pattern === 'string' && /\(\?[=!<]|\\[1-9]/.test(node.pattern)) {
      problems.push(`${at}: pattern uses lookaround or backreferences (RE2 has neither)`);
    }
    if (type === 'OBJECT') {
      const props = isNode(node.properties) ? node.properties : {};
      if (Object.keys(props).length === 0)
        problems.push(`${at}: properties should be non-empty for OBJECT type`);
      const required = Array.isArray(node.required) ? node.required : [];
      for (const name of required)
        if (!(String(name) in props)) problems.push(`${at}: required ${String(name)} is not a property`);
      for (const [key, child] of Object.entries(props)) walk(child, `${at}.properties.${key}`);
    }
    if (type === 'ARRAY') {
      if (!('items' in node)) problems.push(`${at}: ARRAY without items`);
      else walk(node.items, `${at}.items`);
    }
    if (Array.isArray(node.anyOf))
      for (const [i, option] of node.anyOf.entries()) walk(option, `${at}.anyOf.${i}`);
  };
  walk(parameters, 'parameters');
  return problems;
}

function resolves(root: JsonSchema, ref: string): boolean {
  if (!ref.startsWith('#/')) return false;
  let current: unknown = root;
  for (const segment of ref.slice(2).split('/')) {
    if (!isNode(current) || !(segment in current)) return false;
    current = current[segment];
  }
  return true;
}
