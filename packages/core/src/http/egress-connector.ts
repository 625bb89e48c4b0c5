import { lookup as dnsLookup, type LookupAddress, type LookupOptions } from 'node:dns';
import { isIP } from 'node:net';
import { buildConnector } from 'undici';
import type { EgressPolicy } from './egress.js';
import { TransportFailure } from './transport-failure.js';

type LookupCallback = (
  err: NodeJS.ErrnoException | null,
  address: string | LookupAddress[],
  family?: number,
) => void;

/**
 * An undici connector that refuses destinations the egress policy forbids. Literal IPs are
 * checked before dialling; names are checked inside DNS lookup, on every address it returns,
 * so the address dialled is the address checked (no time-of-check/time-of-use gap).
 */
export function egressConnector(policy: EgressPolicy, connectTimeout: number): buildConnector.connector {
  const guardedLookup = (hostname: string, options: LookupOptions, callback: LookupCallback) => {
    dnsLookup(hostname, { ...options, all: true }, (err, addresses) => {
      if (err) return callback(err, []);
      const denied = addresses.find((a) => !policy.allows(hostname, a.address));
      if (denied) return callback(refusal(hostname, denied.address), []);
      if (options.all) return callback(null, addresses);
      const first = addresses[0];
      return first ? callback(null, first.address, first.family) : callback(null, [], 4);
    });
  };
  const connect = buildConnector({
    timeout: connectTimeout,
    lookup: guardedLookup,
  } as buildConnector.BuildOptions);
  return (options, callback) => {
    const host = options.hostname.replace(/^\[|\]$/g, '');
    if (isIP(host) !== 0 && !policy.allows(host, host)) {
      callback(refusal(host, host), null);
      return;
    }
    connect(options, callback);
  };
}

function refusal(host: string, address: string): TransportFailure {
  const where = host === address ? address : `${host} (${address})`;
  return new TransportFailure(
    'EGRESS_DENIED',
    `egress to ${where} is not allowed: private, loopback or link-local address`,
  );
}
