import { emptyMeta, type ObjectNode, type SchemaNode } from './schema-ir.js';
import { simplifyUnion } from './schema-union.js';

/**
 * A tool's input as one object: an object stays; a union of objects (a discriminated input)
 * becomes one object with every branch's properties, required only where every branch requires
 * them, as providers want a plain object at the root; anything else becomes an empty object.
 */
export function rootObject(node: SchemaNode): ObjectNode {
  if (node.kind === 'object') return node;
  const branches =
    node.kind === 'union' ? node.options.filter((o): o is ObjectNode => o.kind === 'object') : [];
  if (branches.length === 0) {
    return {
      kind: 'object',
      properties: [],
      required: [],
      additional: true,
      meta: { ...node.meta, nullable: false },
    };
  }
  const properties: [string, SchemaNode][] = [];
  for (const branch of branches) {
    for (const [name, child] of branch.properties) {
      const index = properties.findIndex(([known]) => known === name);
      if (index === -1) properties.push([name, child]);
      else if (JSON.stringify(properties[index]?.[1]) !== JSON.stringify(child)) {
        const known = (properties[index] as [string, SchemaNode])[1];
        properties[index] = [name, simplifyUnion([known, child], emptyMeta())];
      }
    }
  }
  const required = (branches[0] as ObjectNode).required.filter((name) =>
    branches.every((b) => b.required.includes(name)),
  );
  const additional = branches.some((b) => b.additional !== false);
  const shapes = `Give the fields of one of ${branches.length} shapes.`;
  return {
    kind: 'object',
    properties,
    required,
    additional,
    meta: {
      ...node.meta,
      nullable: false,
      description: node.meta.description ? `${node.meta.description} ${shapes}` : shapes,
    },
  };
}
