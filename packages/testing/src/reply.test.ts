import { describe, expect, it } from 'vitest';
import { reply } from './reply.js';

describe('reply', () => {
  it('builds a JSON response', () => {
    expect(reply.json(201, { id: 1 })).toEqual({ status: 201, json: { id: 1 } });
    expect(reply.json(200, [], { etag: '"v1"' })).toEqual({
      status: 200,
      json: [],
      headers: { etag: '"v1"' },
    });
  });

  it('builds a response without a body', () => {
    expect(reply.status(204)).toEqual({ status: 204 });
    expect(reply.status(301, { location: '/moved' })).toEqual({
      status: 301,
      headers: { location: '/moved' },
    });
  });

  it('builds a 429 with Retry-After in seconds or as a date', () => {
    expect(reply.rateLimited({ retryAfter: 2 })).toMatchObject({
      status: 429,
      headers: { 'retry-after': '2' },
    });
    const date = 'Wed, 21 Oct 2015 07:28:00 GMT';
    expect(reply.rateLimited({ retryAfter: date }).headers).toEqual({ 'retry-after': date });
    expect(reply.rateLimited().headers).toEqual({});
    expect(reply.rateLimited({ headers: { 'x-ratelimit-remaining': '0' } }).headers).toEqual({
      'x-ratelimit-remaining': '0',
    });
  });

  it('builds a server error, 503 by default', () => {
    expect(reply.serverError()).toEqual({ status: 503, json: { message: 'Service Unavailable' } });
    expect(reply.serverError(502, { 'retry-after': '1' })).toEqual({
      status: 502,
      json: { message: 'Bad Gateway' },
      headers: { 'retry-after': '1' },
    });
  });
});
