import { describe, expect, it } from 'vitest';
import { AdfDocument, adfToText, RichText, textToAdf, toAdf } from './adf.js';

const text = (t: string) => ({ type: 'text', text: t });

describe('textToAdf', () => {
  it('makes a paragraph per blank-line block and a hardBreak per single newline', () => {
    expect(textToAdf('Steps:\n1. open\r\n2. click\n\n  \nThanks')).toEqual({
      type: 'doc',
      version: 1,
      content: [
        {
          type: 'paragraph',
          content: [
            text('Steps:'),
            { type: 'hardBreak' },
            text('1. open'),
            { type: 'hardBreak' },
            text('2. click'),
          ],
        },
        { type: 'paragraph', content: [text('Thanks')] },
      ],
    });
  });

  it('keeps characters as they are (ADF is JSON, nothing to escape) and leaves out empty text nodes', () => {
    expect(textToAdf('<b>"x"</b> & \\ {y}')).toEqual({
      type: 'doc',
      version: 1,
      content: [{ type: 'paragraph', content: [text('<b>"x"</b> & \\ {y}')] }],
    });
    expect(textToAdf('')).toEqual({ type: 'doc', version: 1, content: [] });
    expect(textToAdf('\n\n\n')).toEqual({ type: 'doc', version: 1, content: [] });
    expect(textToAdf('a\n\nb').content).toHaveLength(2);
  });

  it('produces documents the ADF schema accepts', () => {
    expect(AdfDocument.safeParse(textToAdf('one\ntwo\n\nthree')).success).toBe(true);
  });
});

describe('toAdf and RichText', () => {
  it('passes an ADF document through unchanged and converts text', () => {
    const doc = {
      type: 'doc' as const,
      version: 1 as const,
      content: [{ type: 'heading', attrs: { level: 2 }, content: [text('Title')] }],
    };
    expect(toAdf(RichText.parse(doc))).toEqual(doc);
    expect(toAdf('hi')).toEqual({
      type: 'doc',
      version: 1,
      content: [{ type: 'paragraph', content: [text('hi')] }],
    });
  });

  it('refuses something that is neither text nor an ADF document', () => {
    expect(RichText.safeParse({ type: 'doc', version: 2, content: [] }).success).toBe(false);
    expect(RichText.safeParse({ type: 'paragraph', content: [] }).success).toBe(false);
    expect(RichText.safeParse({ type: 'doc', version: 1, content: [{ text: 'no type' }] }).success).toBe(
      false,
    );
  });
});

describe('adfToText', () => {
  it('reads blocks, breaks, lists, mentions and links as text', () => {
    const doc = {
      type: 'doc',
      version: 1,
      content: [
        { type: 'heading', content: [text('Plan')] },
        {
          type: 'paragraph',
          content: [
            text('Ask '),
            { type: 'mention', attrs: { id: 'x', text: '@Alice' } },
            { type: 'hardBreak' },
            text('today'),
          ],
        },
        {
          type: 'bulletList',
          content: [
            { type: 'listItem', content: [{ type: 'paragraph', content: [text('one')] }] },
            {
              type: 'listItem',
              content: [
                { type: 'paragraph', content: [{ type: 'inlineCard', attrs: { url: 'https://x.test' } }] },
              ],
            },
          ],
        },
      ],
    };
    expect(adfToText(doc)).toBe('Plan\nAsk @Alice\ntoday\n- one\n- https://x.test');
  });

  it('round-trips plain text through textToAdf', () => {
    expect(adfToText(textToAdf('a\nb\n\nc'))).toBe('a\nb\nc');
  });

  it('gives an empty string for anything that is not ADF', () => {
    expect(adfToText(null)).toBe('');
    expect(adfToText('text')).toBe('');
    expect(adfToText({ type: 'doc' })).toBe('');
  });
});
