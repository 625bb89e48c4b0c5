// The token cache of the hub's bearer auth, over a real SQLite token table.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createRepositories, type HubDatabase, openDatabase, type Repositories } from '../storage/index.js';
import { hashToken, TokenAuthenticator } from './auth.js';
import { HubError } from './hub-errors.js';

const OPERATOR = 'operator-token-0123456789abcdef';
const OTHER = 'other-token-0123456789abcdef';
const bearer = (token: string) => `Bearer ${token}`;

async function refusal(promise: Promise<unknown>): Promise<ReturnType<HubError['toJSON']>> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(HubError);
  return (error as HubError).toJSON();
}

describe('TokenAuthenticator', () => {
  let dir: string;
  let database: HubDatabase;
  let repos: Repositories;
  let tokenLookups: number;
  let clock: number;
  let operatorId: string;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'patchbay-auth-'));
    tokenLookups = 0;
    database = await openDatabase({
      dataDir: dir,
      log: (event) => {
        if (event.level === 'query' && /from "api_tokens" where "token_hash"/.test(event.query.sql))
          tokenLookups++;
      },
    });
    repos = createRepositories(database);
    operatorId = (
      await repos.tokens.create({ name: 'op', tokenHash: hashToken(OPERATOR), scopes: ['operator'] })
    ).id;
    await repos.tokens.create({ name: 'other', tokenHash: hashToken(OTHER), scopes: ['viewer'] });
    clock = 1_000_000;
  });

  afterEach(async () => {
    await database.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const authenticator = (options: { maxCached?: number } = {}) =>
    new TokenAuthenticator(repos.tokens, { cacheMs: 5000, now: () => clock, ...options });

  it('reads a token once per cache period and answers later uses from the cache, without a promise', async () => {
    const auth = authenticator();
    expect(auth.cached(bearer(OPERATOR))).toBeUndefined(); // not looked up yet
    expect(await auth.authenticate(bearer(OPERATOR))).toMatchObject({ id: operatorId, scopes: ['operator'] });
    expect(auth.cached(bearer(OPERATOR))).toMatchObject({ id: operatorId });
    expect(await auth.authenticate(bearer(OPERATOR))).toMatchObject({ id: operatorId });
    expect(tokenLookups).toBe(1);
    clock += 5000;
    expect(auth.cached(bearer(OPERATOR))).toBeUndefined(); // expired: read again
    await auth.authenticate(bearer(OPERATOR));
    expect(tokenLookups).toBe(2);
  });

  it('refuses a token revoked through it from its next use on', async () => {
    const auth = authenticator();
    await auth.authenticate(bearer(OPERATOR));
    expect(await auth.revoke(operatorId)).toBe(true);
    expect(auth.cached(bearer(OPERATOR))).toBeUndefined();
    expect(await refusal(auth.authenticate(bearer(OPERATOR)))).toMatchObject({
      type: 'HubAuthError',
      httpStatus: 401,
      code: 'UNAUTHENTICATED',
    });
    expect((await repos.tokens.get(operatorId))?.revokedAt).toEqual(expect.any(Number));
    expect(await auth.revoke(operatorId)).toBe(false);
  });

  it('refuses a token revoked by another process once its cache period is over', async () => {
    const auth = authenticator();
    await auth.authenticate(bearer(OPERATOR));
    await repos.tokens.revoke(operatorId); // as `patchbay token revoke` does, beside the running hub
    clock += 4999; // within the documented delay the cached lookup still answers
    expect(await auth.authenticate(bearer(OPERATOR))).toMatchObject({ id: operatorId });
    clock += 1;
    expect(await refusal(auth.authenticate(bearer(OPERATOR)))).toMatchObject({ httpStatus: 401 });
    expect(() => auth.cached(bearer(OPERATOR))).toThrow(/Unknown or revoked/);
  });

  it('remembers unknown tokens too, and at most maxCached lookups, dropping the oldest', async () => {
    const auth = authenticator({ maxCached: 2 });
    expect(await refusal(auth.authenticate(bearer('not-a-token')))).toMatchObject({ httpStatus: 401 });
    expect(await refusal(auth.authenticate(bearer('not-a-token')))).toMatchObject({ httpStatus: 401 });
    expect(tokenLookups).toBe(1);
    await auth.authenticate(bearer(OPERATOR)); // cache: not-a-token, operator
    await auth.authenticate(bearer(OTHER)); // cache: operator, other (not-a-token dropped)
    expect(tokenLookups).toBe(3);
    await auth.authenticate(bearer(OPERATOR));
    await auth.authenticate(bearer(OTHER));
    expect(tokenLookups).toBe(3);
    await refusal(auth.authenticate(bearer('not-a-token')));
    expect(tokenLookups).toBe(4);
  });

  it('answers a missing or malformed header with 401 before any lookup', async () => {
    const auth = authenticator();
    expect(await refusal(auth.authenticate(undefined))).toMatchObject({ httpStatus: 401 });
    expect(await refusal(auth.authenticate(`Basic ${OPERATOR}`))).toMatchObject({ httpStatus: 401 });
    expect(() => auth.cached('Bearer')).toThrow(/Bearer <token>/);
    expect(tokenLookups).toBe(0);
  });
});
