import { z } from 'zod';

/**
 * Atlassian Document Format: Jira v3 takes rich text (descriptions, comments) only as ADF.
 * Nodes below the top level are passed through for Jira to check; we check the envelope.
 */
export const AdfNode = z
  .looseObject({
    type: z.string().min(1).describe('Node type, e.g. paragraph, heading, bulletList, codeBlock'),
    content: z.array(z.unknown()).optional().describe('Child nodes'),
  })
  .describe('An ADF block node');

export const AdfDocument = z
  .object({
    type: z.literal('doc'),
    version: z.literal(1),
    content: z.array(AdfNode).describe('Top-level block nodes'),
  })
  .describe('An Atlassian Document Format document: {"type":"doc","version":1,"content":[...]}');
export type AdfDocument = z.output<typeof AdfDocument>;

/** Plain text (converted to ADF) or an ADF document passed through as is. */
export const RichText = z
  .union([z.string(), AdfDocument])
  .describe(
    'Plain text (blank lines separate paragraphs, single newlines become line breaks) or an Atlassian Document Format document',
  );
export type RichText = z.output<typeof RichText>;

/**
 * Plain text as an ADF document: paragraphs at blank lines, `hardBreak`s at single newlines.
 * Empty text nodes are left out (Jira refuses them), so blank text is an empty document.
 * @example
 * textToAdf('Steps:\n1. open\n\nThanks')
 * // { type: 'doc', version: 1, content: [
 * //   { type: 'paragraph', content: [{ type: 'text', text: 'Steps:' }, { type: 'hardBreak' }, { type: 'text', text: '1. open' }] },
 * //   { type: 'paragraph', content: [{ type: 'text', text: 'Thanks' }] } ] }
 */
export function textToAdf(text: string): AdfDocument {
  // A line holding only spaces is blank: it ends a paragraph like an empty one.
  const paragraphs = text.replace(/\r\n?/g, '\n').split(/\n(?:[ \t]*\n)+/);
  const content: AdfDocument['content'] = [];
  for (const paragraph of paragraphs) {
    if (paragraph.trim() === '') continue;
    const lines = paragraph.replace(/^(?:[ \t]*\n)+|(?:\n[ \t]*)+$/g, '').split('\n');
    const inline: Record<string, unknown>[] = [];
    lines.forEach((line, i) => {
      if (i > 0) inline.push({ type: 'hardBreak' });
      if (line !== '') inline.push({ type: 'text', text: line });
    });
    content.push({ type: 'paragraph', content: inline });
  }
  return { type: 'doc', version: 1, content };
}

/** ADF for a {@link RichText} value: text is converted, a document passes through. */
export function toAdf(value: RichText): AdfDocument {
  return typeof value === 'string' ? textToAdf(value) : value;
}

const INLINE_CONTAINERS = new Set(['paragraph', 'heading', 'codeBlock']);

/**
 * The readable text of an ADF document (for agents, which read text better than trees):
 * blocks on their own lines, list items with `- `, mentions and emoji as their text.
 * Anything that is not ADF gives `''`.
 */
export function adfToText(node: unknown): string {
  if (typeof node !== 'object' || node === null) return '';
  const { type, text, attrs, content } = node as {
    type?: unknown;
    text?: unknown;
    attrs?: Record<string, unknown>;
    content?: unknown;
  };
  if (type === 'text') return typeof text === 'string' ? text : '';
  if (type === 'hardBreak') return '\n';
  if (type === 'mention' || type === 'emoji' || type === 'status') return String(attrs?.text ?? '');
  if (type === 'inlineCard' || type === 'blockCard') return String(attrs?.url ?? '');
  if (!Array.isArray(content)) return '';
  const children = content.map(adfToText);
  if (typeof type === 'string' && INLINE_CONTAINERS.has(type)) return children.join('');
  const block = children.filter((c) => c !== '').join('\n');
  return type === 'listItem' ? `- ${block}` : block;
}
