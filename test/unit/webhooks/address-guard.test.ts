import type { LookupAddress } from 'node:dns';
import { describe, expect, it } from 'vitest';
import { createAddressGuard, isForbiddenAddress, WebhookTargetRefused } from '../../../shared/domain/webhooks/address-guard.js';

const resolvingTo = (...addresses: string[]) => async (): Promise<LookupAddress[]> =>
  addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));

describe('webhook address guard', () => {
  it.each([
    ['127.0.0.1', 'loopback'],
    ['10.1.2.3', 'RFC 1918'],
    ['172.20.0.1', 'RFC 1918'],
    ['192.168.1.10', 'RFC 1918'],
    ['169.254.169.254', 'the metadata service'],
    ['169.254.10.1', 'link-local'],
    ['100.64.0.1', 'carrier-grade NAT'],
    ['0.0.0.0', 'unspecified'],
    ['224.0.0.1', 'multicast'],
    ['255.255.255.255', 'broadcast'],
    ['::1', 'IPv6 loopback'],
    ['::', 'IPv6 unspecified'],
    ['fd00:ec2::254', 'unique local (AWS metadata over IPv6)'],
    ['fe80::1', 'IPv6 link-local'],
    ['ff02::1', 'IPv6 multicast'],
    ['::ffff:127.0.0.1', 'IPv4-mapped loopback'],
    ['::ffff:a9fe:a9fe', 'IPv4-mapped metadata service'],
    ['64:ff9b::a00:1', 'NAT64 of a private address'],
    ['not-an-ip', 'not an address'],
  ])('refuses %s (%s)', (address) => {
    // Act & Assess
    expect(isForbiddenAddress(address)).toBe(true);
  });

  it.each([
    ['::127.0.0.1', 'IPv4-compatible loopback'],
    ['::7f00:1', 'IPv4-compatible loopback, hex'],
    ['::8.8.8.8', 'IPv4-compatible, deprecated whatever it embeds'],
    ['::ffff:7f00:1', 'IPv4-mapped loopback, hex'],
    ['0:0:0:0:0:ffff:169.254.169.254', 'IPv4-mapped metadata service, long form'],
    ['::ffff:0:127.0.0.1', 'IPv4-translated loopback'],
    ['::ffff:0:a9fe:a9fe', 'IPv4-translated metadata service, hex'],
    ['64:ff9b::127.0.0.1', 'NAT64 of loopback, dotted'],
    ['64:ff9b::a9fe:a9fe', 'NAT64 of the metadata service, hex'],
    ['64:ff9b:1::808:808', 'local-use NAT64'],
    ['2002:7f00:1::', '6to4 of loopback'],
    ['2002:808:808::1', '6to4, whatever it embeds'],
    ['2001:0:4136:e378:8000:63bf:80ff:fffe', 'Teredo (embeds the client IPv4 inverted)'],
  ])('refuses %s (%s): IPv6 forms that carry an IPv4 address', (address) => {
    // Act & Assess
    expect(isForbiddenAddress(address)).toBe(true);
  });

  it.each([
    ['https://[::127.0.0.1]/', '::7f00:1'],
    ['http://2130706433/', '127.0.0.1'],
    ['http://0x7f.1/', '127.0.0.1'],
    ['http://127.1/', '127.0.0.1'],
    ['http://0177.0.0.1/', '127.0.0.1'],
    ['http://0xa9.0xfe.0xa9.0xfe/', '169.254.169.254'],
    ['http://[::ffff:127.0.0.1]/', '::ffff:7f00:1'],
    ['http://[0:0:0:0:0:0:7f00:0001]/', '::7f00:1'],
  ])('refuses %s: the URL parser spells its host %s, which the guard refuses', (url, host) => {
    // Act
    const hostname = new URL(url).hostname.replace(/^\[(.*)\]$/, '$1');

    // Assess
    expect(hostname).toBe(host);
    expect(isForbiddenAddress(hostname)).toBe(true);
  });

  it.each(['93.184.215.14', '8.8.8.8', '2606:4700:4700::1111', '::ffff:8.8.8.8', '::ffff:0:808:808', '64:ff9b::808:808'])('allows the public address %s', (address) => {
    // Act & Assess
    expect(isForbiddenAddress(address)).toBe(false);
  });

  it('refuses a name when any of its addresses is private', async () => {
    // Prepare
    const guard = createAddressGuard({ allowPrivateTargets: false, resolve: resolvingTo('93.184.215.14', '10.0.0.5') });

    // Act
    const refused = await guard.resolveAllowed('rebinding.example').catch((error: unknown) => error);

    // Assess
    expect(refused).toBeInstanceOf(WebhookTargetRefused);
    expect((refused as WebhookTargetRefused).address).toBe('10.0.0.5');
  });

  it('allows private addresses when the local-mode setting says so', async () => {
    // Prepare
    const guard = createAddressGuard({ allowPrivateTargets: true, resolve: resolvingTo('127.0.0.1') });

    // Act
    const addresses = await guard.resolveAllowed('localhost');

    // Assess
    expect(addresses).toEqual([{ address: '127.0.0.1', family: 4 }]);
  });

  it('fails the connection from its lookup hook when the name resolves to the metadata service', async () => {
    // Prepare
    const guard = createAddressGuard({ allowPrivateTargets: false, resolve: resolvingTo('169.254.169.254') });

    // Act
    const error = await new Promise<unknown>((resolve) => guard.lookup('metadata.example', {}, (err) => resolve(err)));

    // Assess
    expect(error).toBeInstanceOf(WebhookTargetRefused);
  });

  it('hands node:http the checked addresses, one or all as it asks', async () => {
    // Prepare
    const guard = createAddressGuard({ allowPrivateTargets: false, resolve: resolvingTo('93.184.215.14', '2606:2800:220:1::1') });

    // Act
    const one = await new Promise<unknown[]>((resolve) =>
      guard.lookup('example.com', { family: 6 }, (_err, address, family) => resolve([address, family])),
    );
    const all = await new Promise<unknown>((resolve) => guard.lookup('example.com', { all: true }, (_err, addresses) => resolve(addresses)));

    // Assess
    expect(one).toEqual(['2606:2800:220:1::1', 6]);
    expect(all).toHaveLength(2);
  });
});
