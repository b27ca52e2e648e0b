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

  it.each(['93.184.215.14', '8.8.8.8', '2606:4700:4700::1111', '::ffff:8.8.8.8'])('allows the public address %s', (address) => {
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
