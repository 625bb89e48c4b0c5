/** True for an Atlassian Document Format document: `{ type: 'doc', version: 1, content: [...] }`. */
export function isAdfDocument(value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return false;
  const doc = value as { type?: unknown; version?: unknown; content?: unknown };
  return (
    doc.type === 'doc' && doc.version === 1 && Array.isArray(doc.content) && doc.content.every(isAdfNode)
  );
}

function isAdfNode(value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return false;
  const node = value as { type?: unknown; content?: unknown; text?: unknown };
  if (typeof node.type !== 'string') return false;
  // Jira refuses empty text nodes ("text node must not be empty").
  if (node.type === 'text' && (typeof node.text !== 'string' || node.text === '')) return false;
  return node.content === undefined || (Array.isArray(node.content) && node.content.every(isAdfNode));
}

/** The text of an ADF document (what text search looks in), blocks separated by newlines. */
export function adfText(value: unknown): string {
  if (typeof value !== 'object' || value === null) return '';
  const node = value as { type?: unknown; text?: unknown; content?: unknown };
  if (node.type === 'text' && typeof node.text === 'string') return node.text;
  if (node.type === 'hardBreak') return '\n';
  if (!Array.isArray(node.content)) return '';
  const inner = node.content.map(adfText);
  return node.type === 'doc' ? inner.join('\n') : inner.join('');
}
