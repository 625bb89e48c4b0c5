import { BlockList, isIP } from 'node:net';

/**
 * Which destinations a client may connect to. The check runs on the address actually dialled
 * (after DNS), so a public name that resolves to 127.0.0.1 or 169.254.169.254 is refused too.
 */
export interface EgressOptions {
  /**
   * Allow private, loopback, link-local and other non-public addresses.
   * @default false
   */
  allowPrivate?: boolean;
  /**
   * Destinations admitted even when private: host names (`vault.internal`, `*.corp.example`),
   * IP addresses, or CIDR ranges (`10.1.0.0/16`, `fd00::/8`).
   */
  allow?: readonly string[];
}

const NON_PUBLIC = new BlockList();
for (const [net, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const) {
  NON_PUBLIC.addSubnet(net, prefix, 'ipv4');
}
for (const [net, prefix] of [
  ['::', 128],
  ['::1', 128],
  ['::', 96],
  ['::ffff:0:0:0', 96],
  ['64:ff9b::', 96],
  ['64:ff9b:1::', 48],
  ['2002::', 16],
  ['fec0::', 10],
  ['100::', 64],
  ['2001:db8::', 32],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
] as const) {
  NON_PUBLIC.addSubnet(net, prefix, 'ipv6');
}

/** True for addresses that are not on the public internet (IPv4-mapped IPv6 is unwrapped). */
export function isNonPublicAddress(address: string): boolean {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped?.[1]) return NON_PUBLIC.check(mapped[1], 'ipv4');
  const family = isIP(address);
  if (family === 0) return true; // not an address at all: refuse rather than guess
  return NON_PUBLIC.check(address, family === 4 ? 'ipv4' : 'ipv6');
}

/** A compiled egress policy: `allows(host, address)` decides one connection. */
export class EgressPolicy {
  private readonly allowedNames: string[] = [];
  private readonly allowedSuffixes: string[] = [];
  private readonly allowedAddresses = new BlockList();

  constructor(private readonly options: EgressOptions) {
    for (const entry of options.allow ?? []) {
      const [net, prefix] = entry.split('/');
      const family = net ? isIP(net) : 0;
      if (family !== 0 && net) {
        const bits = prefix === undefined ? (family === 4 ? 32 : 128) : Number(prefix);
        if (!Number.isInteger(bits)) throw new TypeError(`egress.allow: bad CIDR ${entry}`);
        this.allowedAddresses.addSubnet(net, bits, family === 4 ? 'ipv4' : 'ipv6');
      } else if (entry.startsWith('*.')) {
        this.allowedSuffixes.push(entry.slice(1).toLowerCase());
      } else {
        this.allowedNames.push(entry.toLowerCase());
      }
    }
  }

  /** Whether connecting to `address` (resolved from `host`) is allowed. */
  allows(host: string, address: string): boolean {
    if (this.options.allowPrivate) return true;
    const name = host.toLowerCase();
    if (this.allowedNames.includes(name) || this.allowedSuffixes.some((s) => name.endsWith(s))) return true;
    const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address)?.[1];
    const plain = mapped ?? address;
    const family = isIP(plain);
    if (family !== 0 && this.allowedAddresses.check(plain, family === 4 ? 'ipv4' : 'ipv6')) return true;
    return !isNonPublicAddress(address);
  }
}
