/**
 * Issue 16, item 9: MLflow checks only a webhook URL's form at creation, so a host that does not resolve right now
 * is accepted; the private-address guard stays where it protects, at delivery, on the address connected to.
 */
import type { LookupAddress } from 'node:dns';
import { describe, expect, it } from 'vitest';
import { createAddressGuard, WebhookTargetRefused } from '../../../shared/domain/webhooks/address-guard.js';
import * as hooks from '../../../shared/domain/webhooks/use-cases.js';
import { memoryWebhookDeps } from '../../support/fakes/webhooks.js';

const EVENTS = [{ entity: 'MODEL_VERSION', action: 'CREATED' }] as const;

const notFound = async (): Promise<LookupAddress[]> => {
  throw Object.assign(new Error('getaddrinfo ENOTFOUND hooks.not-yet.example'), { code: 'ENOTFOUND' });
};

describe('webhook creation and host resolution', () => {
  it('a webhook to a host that does not resolve now is created, as MLflow creates it', async () => {
    // Prepare
    const { deps } = memoryWebhookDeps();
    const offline = { ...deps, addressGuard: createAddressGuard({ allowPrivateTargets: false, resolve: notFound }) };

    // Act
    const webhook = await hooks.createWebhook(offline, { name: 'hook', url: 'https://hooks.not-yet.example/x', events: [...EVENTS] });

    // Assess
    expect(webhook.url).toBe('https://hooks.not-yet.example/x');
  });

  it('a host that resolves to a private address is still refused at creation', async () => {
    // Prepare
    const { deps } = memoryWebhookDeps({ resolvesTo: '10.0.0.5' });

    // Act
    const error = await hooks.createWebhook(deps, { name: 'hook', url: 'https://internal.example/x', events: [...EVENTS] }).catch((e: unknown) => e);

    // Assess
    expect(error).toMatchObject({ errorCode: 'INVALID_PARAMETER_VALUE', message: expect.stringContaining('non-public IP address') });
  });

  it('at delivery, the connection to a name that now resolves to a private address is refused by the guard', async () => {
    // Prepare
    const guard = createAddressGuard({ allowPrivateTargets: false, resolve: async () => [{ address: '169.254.169.254', family: 4 }] });

    // Act
    const error = await new Promise<unknown>((resolve) => guard.lookup('hooks.not-yet.example', {}, (err) => resolve(err)));

    // Assess
    expect(error).toBeInstanceOf(WebhookTargetRefused);
  });
});
