import type { NodeMeta, ObjectNode, SchemaNode } from './schema-ir.js';

/** One node for a set of alternatives: `null` branches fold into `nullable`, nested unions flatten,
 * enums of one type join, objects that differ only in `required` join (required in all of them). */
export function simplifyUnion(branches: SchemaNode[], meta: NodeMeta): SchemaNode {
  let nullable = meta.nullable;
  const flat: SchemaNode[] = [];
  const pending = [...branches];
  while (pending.length > 0) {
    const branch = pending.shift() as SchemaNode;
    if (branch.meta.nullable || branch.kind === 'null') nullable = true;
    if (branch.kind === 'null') continue;
    if (branch.kind === 'union' && branch.meta.description === undefined) {
      pending.unshift(...branch.options);
      continue;
    }
    flat.push(branch);
  }
  const outer: NodeMeta = { ...meta, nullable };
  if (flat.some((b) => b.kind === 'any')) return { kind: 'any', meta: outer };
  const options = joinEnums(joinObjects(flat));
  if (options.length === 0) return { kind: 'null', meta: { ...meta, nullable: false } };
  if (options.length === 1) {
    const only = options[0] as SchemaNode;
    return {
      ...only,
      meta: {
        ...only.meta,
        ...(only.meta.description === undefined && outer.description !== undefined
          ? { description: outer.description }
          : {}),
        ...(only.meta.default === undefined && outer.default !== undefined ? { default: outer.default } : {}),
        ...(only.meta.title === undefined && outer.title !== undefined ? { title: outer.title } : {}),
        nullable: nullable || only.meta.nullable,
      },
    };
  }
  return {
    kind: 'union',
    options: options.map((o) => ({ ...o, meta: { ...o.meta, nullable: false } })),
    meta: outer,
  };
}

function joinEnums(options: SchemaNode[]): SchemaNode[] {
  const out: SchemaNode[] = [];
  for (const option of options) {
    const same = out.find(
      (o) =>
        o.kind === option.kind &&
        'enum' in o &&
        o.enum !== undefined &&
        'enum' in option &&
        option.enum !== undefined &&
        Object.keys(o.meta.constraints).length === 0 &&
        Object.keys(option.meta.constraints).length === 0,
    ) as (SchemaNode & { enum: unknown[] }) | undefined;
    if (same && 'enum' in option && option.enum) {
      same.enum = [...same.enum, ...option.enum.filter((v) => !same.enum.includes(v))];
    } else out.push(option.kind === 'union' ? option : { ...option });
  }
  return out;
}

function joinObjects(options: SchemaNode[]): SchemaNode[] {
  const objects = options.filter((o): o is ObjectNode => o.kind === 'object');
  if (objects.length < 2 || objects.length !== options.length) return options;
  const keys = (o: ObjectNode) =>
    o.properties
      .map(([k]) => k)
      .sort()
      .join('\0');
  const first = objects[0] as ObjectNode;
  const sameShape = objects.every(
    (o) =>
      keys(o) === keys(first) &&
      JSON.stringify(o.properties) === JSON.stringify(first.properties) &&
      o.additional === first.additional,
  );
  if (!sameShape) return options;
  const required = first.required.filter((name) => objects.every((o) => o.required.includes(name)));
  return [{ ...first, required }];
}
