import { describe, expect, it } from 'vitest';
import type { AuthStrategy } from '../auth/auth-strategy.js';
import { IntegrationAuthError, IntegrationTemporaryError } from '../errors/integration-error.js';
import type { PreparedRequest, RawResponse } from '../http/types.js';
import { authPolicy } from './auth-policy.js';
import type { CallContext, Handler } from './pipeline.js';

const OK: RawResponse = { status: 200, headers: {}, body: Buffer.alloc(0), url: 'http://x/' };
const request = (): PreparedRequest => ({
  method: 'POST',
  origin: 'http://x',
  path: '/',
  headers: {},
  json: { a: 1 },
  operation: 'op',
});
const newCall = () => ({ attempt: 1 }) as CallContext;
const unauthorized = () => new IntegrationAuthError('401', { status: 401 });

/** A strategy whose token number goes up on each successful re-auth. */
function strategy(renews: boolean | 'none' = true) {
  let version = 1;
  const s: AuthStrategy & { reauths: number } = {
    kind: 'test',
    reauths: 0,
    apply(req) {
      req.headers.authorization = `Bearer t${version}`;
    },
    secrets: () => [],
    credentialHeaders: ['authorization'],
    credentialParams: [],
  };
  if (renews !== 'none') {
    s.onUnauthorized = async () => {
      s.reauths++;
      if (renews) version++;
      return renews;
    };
  }
  return s;
}

/** A transport answering with the given outcomes in turn, recording the Authorization it saw. */
function transport(...outcomes: (Error | 'ok')[]) {
  const seen: string[] = [];
  const handler: Handler = async (req) => {
    seen.push(req.headers.authorization ?? '');
    const next = outcomes[Math.min(seen.length - 1, outcomes.length - 1)];
    if (next instanceof Error) throw next;
    return OK;
  };
  return { handler, seen };
}

describe('authPolicy', () => {
  it('re-applies a renewed credential to a fresh copy and resends once', async () => {
    const auth = strategy();
    const t = transport(unauthorized(), 'ok');
    expect(await authPolicy(auth)(t.handler)(request(), newCall())).toBe(OK);
    expect(t.seen).toEqual(['Bearer t1', 'Bearer t2']);
  });

  it('re-authenticates at most once per call, even across retry attempts', async () => {
    const auth = strategy();
    const t = transport(unauthorized());
    const handler = authPolicy(auth)(t.handler);
    const call = newCall();
    await expect(handler(request(), call)).rejects.toThrow('401');
    await expect(handler(request(), call)).rejects.toThrow('401'); // a later attempt of the same call
    expect(auth.reauths).toBe(1);
    expect(t.seen).toEqual(['Bearer t1', 'Bearer t2', 'Bearer t2']);
  });

  it('passes the 401 through when nothing was renewed, and ignores 403 and other errors', async () => {
    const stale = strategy(false);
    const t = transport(unauthorized());
    await expect(authPolicy(stale)(t.handler)(request(), newCall())).rejects.toThrow('401');
    expect(t.seen).toHaveLength(1);
    const auth = strategy();
    for (const error of [
      new IntegrationAuthError('403', { status: 403 }),
      new IntegrationTemporaryError('503'),
    ]) {
      const u = transport(error);
      await expect(authPolicy(auth)(u.handler)(request(), newCall())).rejects.toBe(error);
      expect(u.seen).toHaveLength(1);
    }
    expect(auth.reauths).toBe(0);
  });

  it('a strategy without onUnauthorized keeps the synchronous path', async () => {
    const t = transport(unauthorized());
    await expect(authPolicy(strategy('none'))(t.handler)(request(), newCall())).rejects.toThrow('401');
    expect(t.seen).toEqual(['Bearer t1']);
  });
});
