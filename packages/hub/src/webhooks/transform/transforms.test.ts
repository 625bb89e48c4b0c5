import { describe, expect, it } from 'vitest';
import { SourceSettingsSchema } from '../config/webhook-settings.js';
import { readPointer } from './json-pointer.js';
import { parsePayload } from './parse-payload.js';
import { normalize, resolveTransform } from './resolve-transform.js';
import type { TransformInput, WebhookTransform } from './transforms.js';

const RECEIVED = Date.parse('2026-01-05T12:00:00Z');

function run(
  settings: unknown,
  payload: unknown,
  headers: Record<string, string> = {},
  named: Record<string, WebhookTransform> = {},
) {
  const transform = resolveTransform(SourceSettingsSchema.parse(settings), named);
  const input: TransformInput = {
    source: 'src',
    deliveryId: 'del-1',
    receivedAt: RECEIVED,
    headers,
    payload,
  };
  return normalize(transform, input);
}

describe('built-in transformations', () => {
  it('GitHub: event header and action, delivery id, time of receipt', () => {
    expect(
      run(
        { verify: 'github', secrets: ['s'] },
        { action: 'opened', number: 1 },
        { 'x-github-event': 'pull_request' },
      ),
    ).toEqual({
      source: 'src',
      type: 'pull_request.opened',
      id: 'del-1',
      occurredAt: '2026-01-05T12:00:00.000Z',
      data: { action: 'opened', number: 1 },
    });
    expect(run({ verify: 'github', secrets: ['s'] }, { zen: 'hi' }, { 'x-github-event': 'ping' }).type).toBe(
      'ping',
    );
    expect(() => run({ verify: 'github', secrets: ['s'] }, {}, {})).toThrow('X-GitHub-Event');
  });

  it('Slack: event callbacks, interactions, slash commands, without the verification token', () => {
    const slack = { verify: 'slack', secrets: ['s'] };
    expect(
      run(slack, {
        type: 'event_callback',
        token: 't',
        event_id: 'Ev1',
        event_time: 1767607200,
        event: { type: 'message' },
      }),
    ).toMatchObject({
      type: 'message',
      id: 'Ev1',
      occurredAt: '2026-01-05T10:00:00.000Z',
      data: { type: 'event_callback', event_id: 'Ev1' },
    });
    expect(run(slack, { payload: { type: 'view_submission', token: 't' } })).toMatchObject({
      type: 'interaction.view_submission',
      data: { type: 'view_submission' },
    });
    const command = run(slack, { command: '/deploy', text: 'prod', token: 't' });
    expect(command).toMatchObject({ type: 'command', data: { command: '/deploy', text: 'prod' } });
    expect(command.data).not.toHaveProperty('token');
  });

  it('Stripe, Standard Webhooks and seed 004 transactions', () => {
    expect(
      run(
        { verify: 'stripe', secrets: ['s'] },
        { id: 'evt_1', type: 'charge.refunded', created: 1767607200, data: { object: { id: 'ch_1' } } },
      ),
    ).toEqual({
      source: 'src',
      type: 'charge.refunded',
      id: 'evt_1',
      occurredAt: '2026-01-05T10:00:00.000Z',
      data: { object: { id: 'ch_1' } },
    });
    expect(
      run(
        { verify: 'standard', secrets: [`whsec_${Buffer.alloc(32).toString('base64')}`] },
        { type: 'a.b', timestamp: '2026-01-05T10:00:00Z', data: { x: 1 } },
      ),
    ).toMatchObject({
      type: 'a.b',
      id: 'del-1',
      data: { x: 1 },
    });
    expect(
      run(
        { verify: 'none', transform: 'transactions' },
        { event: 'transaction.updated', transaction_id: 'TXN-1', updated_at: '2026-01-05T11:00:00Z' },
      ),
    ).toMatchObject({
      type: 'transaction.updated',
      occurredAt: '2026-01-05T11:00:00.000Z',
      data: { transaction_id: 'TXN-1' },
    });
  });

  it('raw takes the type from a header; a mapping reads JSON Pointers', () => {
    expect(run({ verify: 'none', typeHeader: 'X-Event' }, { a: 1 }, { 'x-event': 'thing.done' }).type).toBe(
      'thing.done',
    );
    expect(run({ verify: 'none' }, { a: 1 }).type).toBe('received');
    const mapped = run(
      {
        verify: 'none',
        transform: { type: '/meta/kind', id: '/meta/id', occurredAt: '/meta/at', data: '/body' },
      },
      { meta: { kind: 'order.paid', id: 'o-1', at: 1767607200 }, body: { total: 5 } },
    );
    expect(mapped).toEqual({
      source: 'src',
      type: 'order.paid',
      id: 'o-1',
      occurredAt: '2026-01-05T10:00:00.000Z',
      data: { total: 5 },
    });
    expect(run({ verify: 'none', transform: { typeValue: 'fixed.type' } }, { a: 1 })).toMatchObject({
      type: 'fixed.type',
      data: { a: 1 },
    });
    expect(() => run({ verify: 'none', transform: { type: '/nope' } }, { a: 1 })).toThrow(
      'no event type at /nope',
    );
  });

  it('uses a TS transformation registered by name, and names the known ones for an unknown name', () => {
    const orders: WebhookTransform = ({ payload }) => ({
      type: `order.${(payload as { status: string }).status}`,
      data: payload,
    });
    expect(run({ verify: 'none', transform: 'orders' }, { status: 'shipped' }, {}, { orders }).type).toBe(
      'order.shipped',
    );
    expect(() => run({ verify: 'none', transform: 'nosuch' }, {})).toThrow(
      /unknown transform "nosuch" \(known: github, slack/,
    );
  });
});

describe('payload parsing and pointers', () => {
  it('parses JSON, forms (with Slack payload=), and keeps anything else as text', () => {
    expect(parsePayload('application/json; charset=utf-8', '{"a":1}')).toEqual({ a: 1 });
    expect(
      parsePayload('application/x-www-form-urlencoded', 'payload=%7B%22type%22%3A%22x%22%7D&b=2'),
    ).toEqual({ payload: { type: 'x' }, b: '2' });
    expect(parsePayload('application/json', '{broken')).toEqual({ text: '{broken' });
    expect(parsePayload('application/xml', '<a/>')).toEqual({ text: '<a/>' });
  });

  it('reads RFC 6901 pointers, escapes and array indexes included', () => {
    const doc = { 'a/b': { 'm~n': [10, 20] } };
    expect(readPointer(doc, '/a~1b/m~0n/1')).toBe(20);
    expect(readPointer(doc, '')).toBe(doc);
    expect(readPointer(doc, '/a~1b/m~0n/01')).toBeUndefined();
    expect(readPointer(doc, '/missing/x')).toBeUndefined();
  });
});
