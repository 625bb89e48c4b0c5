import { describe, expect, it } from 'vitest';
import { EgressPolicy, isNonPublicAddress } from './egress.js';

describe('isNonPublicAddress', () => {
  it('flags private, loopback, link-local, CGNAT, metadata and IPv6 local ranges', () => {
    for (const a of [
      '10.1.2.3',
      '127.0.0.1',
      '169.254.169.254',
      '172.20.0.1',
      '192.168.1.1',
      '100.64.0.1',
      '0.0.0.0',
      '::1',
      'fe80::1',
      'fd12::1',
      '::ffff:127.0.0.1',
      '::ffff:10.0.0.1',
    ]) {
      expect(isNonPublicAddress(a), a).toBe(true);
    }
  });

  it('lets public addresses through', () => {
    for (const a of ['140.82.112.3', '8.8.8.8', '2606:4700::1111', '::ffff:140.82.112.3', '172.32.0.1']) {
      expect(isNonPublicAddress(a), a).toBe(false);
    }
  });
});

describe('EgressPolicy', () => {
  it('admits allowlisted names, suffixes and CIDRs, and nothing else private', () => {
    const policy = new EgressPolicy({
      allow: ['vault.internal', '*.corp.example', '10.1.0.0/16', '127.0.0.2'],
    });
    expect(policy.allows('vault.internal', '10.9.9.9')).toBe(true);
    expect(policy.allows('api.corp.example', '10.9.9.9')).toBe(true);
    expect(policy.allows('x', '10.1.200.3')).toBe(true);
    expect(policy.allows('x', '127.0.0.2')).toBe(true);
    expect(policy.allows('x', '127.0.0.1')).toBe(false);
    expect(policy.allows('evil.example', '169.254.169.254')).toBe(false);
    expect(policy.allows('github.com', '140.82.112.3')).toBe(true);
    expect(new EgressPolicy({ allowPrivate: true }).allows('x', '10.0.0.1')).toBe(true);
  });
});
