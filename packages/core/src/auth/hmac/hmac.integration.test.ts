import {
  type FakeUpstream,
  type RecordedRequest,
  rejectionOf,
  reply,
  startFakeUpstream,
} from '@patchbay/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isIntegrationError } from '../../errors/integration-error.js';
import type { Policy } from '../../policies/pipeline.js';
import { bearer } from '../static-auth.js';
import { type HmacSignerOptions, hmacSigner } from './hmac-signer.js';
import { testPipeline } from './test-pipeline.js';
import { type HmacRejection, verifyHmacSignature } from './verify-hmac.js';

const SECRET = 'loopback-hmac-secret-42';
const scheme = { secret: SECRET, prefix: 'sha256=' } as const;

let up: FakeUpstream;
let verdicts: (HmacRejection | 'ok')[];

/** The upstream checks every request as a real one would: 401 unless the signature holds. */
function verifyingRoute(
  method: string,
  path: string,
  then: (req: RecordedRequest) => ReturnType<typeof reply.json>,
) {
  up.on(method, path, (req) => {
    const check = verifyHmacSignature({
      ...scheme,
      signature: req.headers['x-hmac-signature'] as string | undefined,
      timestamp: req.headers['x-timestamp'] as string | undefined,
      method: req.method,
      path: req.url,
      body: req.body,
    });
    verdicts.push(check.ok ? 'ok' : check.reason);
    return check.ok ? then(req) : reply.json(401, { error: check.reason });
  });
}

beforeEach(async () => {
  up = await startFakeUpstream();
  verdicts = [];
});
afterEach(async () => {
  await up.close();
});

function pipeline(options: Partial<HmacSignerOptions> = {}, afterSign?: Policy) {
  const signer = hmacSigner({ ...scheme, ...options });
  const sign: Policy = afterSign ? (next) => signer(afterSign(next)) : signer;
  return testPipeline({ origin: up.url, authStrategy: bearer('bearer-token-1'), sign });
}

const failure = (promise: Promise<unknown>) => rejectionOf(promise, isIntegrationError);

describe('HMAC signing over the wire', () => {
  it('a signed JSON POST verifies on the upstream, byte for byte, with auth applied before signing', async () => {
    verifyingRoute('POST', '/api/v1/transactions/drafts', (req) => reply.json(201, { echo: req.json() }));
    const p = pipeline();
    try {
      const payload = { customer_id: 'C-9', amount: 500.5, description: 'naïve ✓', metadata: {} };
      const res = await p.call('POST', '/api/v1/transactions/drafts?source=test', { json: payload });
      expect(res.status).toBe(201);
      expect(JSON.parse(res.body.toString())).toEqual({ echo: payload });
      const [seen] = up.requests;
      expect(seen?.text).toBe(JSON.stringify(payload));
      expect(seen?.headers['content-type']).toBe('application/json');
      expect(seen?.headers.authorization).toBe('Bearer bearer-token-1');
      expect(verdicts).toEqual(['ok']);
    } finally {
      await p.close();
    }
  });

  it('each retry is signed afresh and verifies', async () => {
    let n = 0;
    verifyingRoute('PUT', '/items/1', () =>
      ++n === 1 ? reply.serverError(503) : reply.json(200, { ok: true }),
    );
    const p = pipeline();
    try {
      expect((await p.call('PUT', '/items/1', { form: new URLSearchParams({ name: 'a b' }) })).status).toBe(
        200,
      );
      expect(up.requests).toHaveLength(2);
      expect(verdicts).toEqual(['ok', 'ok']);
      expect(up.requests.map((r) => r.text)).toEqual(['name=a+b', 'name=a+b']);
    } finally {
      await p.close();
    }
  });

  it('a body tampered after signing is refused with 401', async () => {
    verifyingRoute('POST', '/drafts', () => reply.json(201, {}));
    const tamper: Policy = (next) => (req, call, signal) =>
      next({ ...req, body: '{"amount":1000000}' }, call, signal);
    const p = pipeline({}, tamper);
    try {
      const error = await failure(p.call('POST', '/drafts', { json: { amount: 5 } }));
      expect(error.type).toBe('IntegrationAuthError');
      expect(error.status).toBe(401);
      expect(verdicts).toEqual(['mismatch']);
      expect(up.requests).toHaveLength(1);
    } finally {
      await p.close();
    }
  });

  it('a signature whose timestamp is outside the tolerance is refused with 401', async () => {
    verifyingRoute('GET', '/status', () => reply.json(200, {}));
    const tenMinutesAgo = { wallNow: () => Date.now() - 600_000 };
    const p = pipeline({ clock: tenMinutesAgo });
    try {
      const error = await failure(p.call('GET', '/status'));
      expect(error.status).toBe(401);
      expect(verdicts).toEqual(['stale_timestamp']);
    } finally {
      await p.close();
    }
  });

  it('a signature made with another secret is refused', async () => {
    verifyingRoute('GET', '/status', () => reply.json(200, {}));
    const p = pipeline({ secret: 'not-the-shared-secret' });
    try {
      expect((await failure(p.call('GET', '/status'))).status).toBe(401);
      expect(verdicts).toEqual(['mismatch']);
    } finally {
      await p.close();
    }
  });
});
