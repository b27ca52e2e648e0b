import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { BlockList, isIP, type LookupFunction } from 'node:net';

/**
 * The server-side request forgery guard for webhook targets. A webhook URL is chosen by any API caller, so
 * the server must not be made to POST to its own loopback, the VPC, or the instance metadata service.
 * Like MLflow (mlflow/webhooks/ssrf.py) the check runs where the connection is made, on the addresses the
 * socket will actually use: `lookup` replaces DNS resolution in node:http, so a name that resolves to a
 * public address when the webhook is saved and to 169.254.169.254 later (DNS rebinding) is still refused.
 */

/** Address ranges that are not publicly routable (Python's `ipaddress ... is_global` is false for them). */
const FORBIDDEN_V4: [string, number][] = [
  ['0.0.0.0', 8], // "this network", unspecified
  ['10.0.0.0', 8], // RFC 1918
  ['100.64.0.0', 10], // carrier-grade NAT
  ['127.0.0.0', 8], // loopback
  ['169.254.0.0', 16], // link-local, including the metadata service 169.254.169.254
  ['172.16.0.0', 12], // RFC 1918
  ['192.0.0.0', 24], // IETF protocol assignments
  ['192.0.2.0', 24], // documentation
  ['192.168.0.0', 16], // RFC 1918
  ['198.18.0.0', 15], // benchmarking
  ['198.51.100.0', 24], // documentation
  ['203.0.113.0', 24], // documentation
  ['224.0.0.0', 4], // multicast
  ['240.0.0.0', 4], // reserved, broadcast
];
const FORBIDDEN_V6: [string, number][] = [
  // IPv4-compatible addresses (::a.b.c.d, deprecated by RFC 4291), with the unspecified :: and the loopback ::1:
  // no public host has one, and a stack that still tunnels them would reach the embedded IPv4 address.
  ['::', 96],
  ['64:ff9b:1::', 48], // local-use NAT64
  ['100::', 64], // discard-only
  ['2001::', 23], // IETF protocol assignments (Teredo, benchmarking, ORCHID…)
  ['2001:db8::', 32], // documentation
  ['2002::', 16], // 6to4, which embeds any IPv4 address
  ['fc00::', 7], // unique local, including AWS's fd00:ec2::254
  ['fe80::', 10], // link-local
  ['fec0::', 10], // site-local (deprecated)
  ['ff00::', 8], // multicast
];

const forbidden = new BlockList();
for (const [prefix, bits] of FORBIDDEN_V4) forbidden.addSubnet(prefix, bits, 'ipv4');
for (const [prefix, bits] of FORBIDDEN_V6) forbidden.addSubnet(prefix, bits, 'ipv6');

/** True when `address` (an IP literal) must not be a webhook target. IPv4 inside IPv6 is judged as IPv4. */
export const isForbiddenAddress = (address: string): boolean => {
  const family = isIP(address);
  if (family === 4) return forbidden.check(address, 'ipv4');
  if (family !== 6) return true; // not an IP address at all: fail closed
  const embedded = embeddedIpv4(address);
  if (embedded !== undefined && forbidden.check(embedded, 'ipv4')) return true;
  return forbidden.check(address, 'ipv6');
};

/**
 * The IPv4 address inside an IPv6 address that carries one in its last 32 bits, in whatever spelling (dotted or
 * hex groups): IPv4-mapped ::ffff:a.b.c.d, IPv4-translated ::ffff:0:a.b.c.d (RFC 2765), NAT64 64:ff9b::a.b.c.d.
 * IPv4-compatible ::a.b.c.d, 6to4 (2002::/16) and Teredo (2001::/32) are refused whole by FORBIDDEN_V6.
 */
const embeddedIpv4 = (address: string): string | undefined => {
  const groups = expandIpv6(address);
  if (!groups) return undefined;
  const zeros = (from: number, to: number) => groups.slice(from, to).every((g) => g === 0);
  const mapped = zeros(0, 5) && groups[5] === 0xffff;
  const translated = zeros(0, 4) && groups[4] === 0xffff && groups[5] === 0;
  const nat64 = groups[0] === 0x64 && groups[1] === 0xff9b && zeros(2, 6);
  if (!mapped && !translated && !nat64) return undefined;
  const [high = 0, low = 0] = groups.slice(6);
  return [high >> 8, high & 0xff, low >> 8, low & 0xff].join('.');
};

const expandIpv6 = (address: string): number[] | undefined => {
  let text = address.split('%')[0] ?? '';
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(text)?.[1];
  if (dotted) {
    const [a = 0, b = 0, c = 0, d = 0] = dotted.split('.').map(Number);
    text = `${text.slice(0, -dotted.length)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head = '', tail] = text.split('::');
  const parse = (part: string) => (part === '' ? [] : part.split(':').map((g) => parseInt(g, 16)));
  const first = parse(head);
  const last = tail === undefined ? [] : parse(tail);
  const fill = 8 - first.length - last.length;
  if (fill < 0 || (tail === undefined && fill !== 0)) return undefined;
  return [...first, ...Array<number>(fill).fill(0), ...last];
};

/** A target the guard refused: never retried, reported as the delivery's final error. */
export class WebhookTargetRefused extends Error {
  override readonly name = 'WebhookTargetRefused';
  constructor(
    readonly hostname: string,
    readonly address: string,
  ) {
    super(`Webhook connection blocked: ${hostname} resolves to ${address}, which is not a public IP address.`);
  }
}

export type Resolver = (hostname: string) => Promise<LookupAddress[]>;

const systemResolver: Resolver = (hostname) =>
  new Promise((resolve, reject) =>
    dnsLookup(hostname, { all: true, verbatim: true }, (error, addresses) => (error ? reject(error) : resolve(addresses))),
  );

export interface AddressGuard {
  /** Local mode: every address is allowed (and plain http, see validation.ts). */
  readonly allowPrivateTargets: boolean;
  /** Every address `hostname` resolves to. @throws WebhookTargetRefused if any is not public. */
  resolveAllowed(hostname: string): Promise<LookupAddress[]>;
  /** A drop-in for node:http's `lookup` option that refuses non-public addresses at connect time. */
  readonly lookup: LookupFunction;
}

export interface AddressGuardOptions {
  allowPrivateTargets: boolean;
  /** Name resolution; node:dns's `lookup` (the system resolver, as node:http uses) by default. */
  resolve?: Resolver;
}

export const createAddressGuard = (options: AddressGuardOptions): AddressGuard => {
  const resolve = options.resolve ?? systemResolver;
  const resolveAllowed = async (hostname: string): Promise<LookupAddress[]> => {
    const addresses = await resolve(hostname);
    if (!options.allowPrivateTargets) {
      const refused = addresses.find((a) => isForbiddenAddress(a.address));
      if (refused) throw new WebhookTargetRefused(hostname, refused.address);
    }
    if (addresses.length === 0) throw new Error(`${hostname} has no address`);
    return addresses;
  };
  const lookup: LookupFunction = (hostname, lookupOptions, callback) => {
    resolveAllowed(hostname).then(
      (addresses) => {
        const family = lookupOptions.family === 4 || lookupOptions.family === 6 ? lookupOptions.family : undefined;
        const usable = family ? addresses.filter((a) => a.family === family) : addresses;
        if (lookupOptions.all) return callback(null, usable);
        const first = usable[0];
        if (!first) return callback(Object.assign(new Error(`${hostname} has no IPv${family} address`), { code: 'ENOTFOUND' }), '', 0);
        return callback(null, first.address, first.family);
      },
      (error: NodeJS.ErrnoException) => callback(error, '', 0),
    );
  };
  return { allowPrivateTargets: options.allowPrivateTargets, resolveAllowed, lookup };
};
