import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { createAddressGuard } from '../../../shared/domain/webhooks/address-guard.js';
import type { OutgoingMessage } from '../../../shared/domain/webhooks/ports.js';
import { createSecretBox } from '../../../shared/domain/webhooks/secret-box.js';
import { createWebhookDelivery } from '../../../shared/domain/webhooks/delivery.js';
import { createGuardedHttpPost } from '../../../functions/webhooks/http-post.js';
import { startWebhookReceiver, type WebhookReceiver } from '../../support/webhook-receiver.js';

const WEBHOOK_ID = 'a1b2c3d4-0000-4000-8000-000000000001';
const MESSAGE: OutgoingMessage = {
  event: { entity: 'MODEL_VERSION_ALIAS', action: 'CREATED' },
  data: { name: 'wine', alias: 'champion', version: '3' },
  timestampMs: Date.UTC(2026, 0, 1, 9, 30),
  deliveryId: '0b7c2d9e-4f3a-4e1b-9c8d-7a6b5c4d3e2f',
};

const box = createSecretBox(randomBytes(32));
const deliveryThrough = (allowPrivateTargets: boolean) =>
  createWebhookDelivery({
    post: createGuardedHttpPost(createAddressGuard({ allowPrivateTargets })),
    secretBox: box,
    policy: { baseDelayMs: 20, jitterMs: 0 },
    timeoutMs: 5000,
  });

let receiver: WebhookReceiver | undefined;
afterEach(async () => {
  await receiver?.close();
  receiver = undefined;
});

describe('webhook delivery over HTTP', () => {
  it('posts MLflow\'s payload with a signature the receiver verifies', async () => {
    // Prepare
    receiver = await startWebhookReceiver('whsec-local');
    const webhook = { webhookId: WEBHOOK_ID, url: receiver.url, encryptedSecret: box.encrypt('whsec-local', WEBHOOK_ID) };

    // Act
    const result = await deliveryThrough(true)(webhook, MESSAGE);

    // Assess
    const [delivery] = receiver.received;
    expect(result).toMatchObject({ outcome: 'success', statusCode: 200, responseBody: 'ok' });
    expect(delivery?.signatureValid).toBe(true);
    expect(delivery?.headers['x-mlflow-delivery-id']).toBe(MESSAGE.deliveryId);
    expect(delivery?.headers['content-type']).toBe('application/json');
    expect(JSON.parse(delivery?.body ?? '')).toEqual({
      entity: 'model_version_alias',
      action: 'created',
      timestamp: '2026-01-01T09:30:00+00:00',
      data: { name: 'wine', alias: 'champion', version: '3' },
    });
  });

  it('redelivers after the receiver answers 500 twice, then 200', async () => {
    // Prepare
    receiver = await startWebhookReceiver('whsec-local');
    receiver.respondWith({ status: 500 }, { status: 500 });
    const webhook = { webhookId: WEBHOOK_ID, url: receiver.url, encryptedSecret: box.encrypt('whsec-local', WEBHOOK_ID) };

    // Act
    const result = await deliveryThrough(true)(webhook, MESSAGE);

    // Assess
    expect(result.outcome).toBe('success');
    expect(result.attempts.map((a) => a.statusCode)).toEqual([500, 500, 200]);
    expect(receiver.received.map((r) => r.signatureValid)).toEqual([true, true, true]);
    expect(new Set(receiver.received.map((r) => r.headers['x-mlflow-delivery-id']))).toEqual(new Set([MESSAGE.deliveryId]));
  });

  it('waits for Retry-After: 1 after a 429 before trying again', async () => {
    // Prepare
    receiver = await startWebhookReceiver();
    receiver.respondWith({ status: 429, headers: { 'retry-after': '1' } });

    // Act
    const result = await deliveryThrough(true)({ webhookId: WEBHOOK_ID, url: receiver.url }, MESSAGE);

    // Assess
    const [first, second] = receiver.received;
    expect(result.outcome).toBe('success');
    expect(result.attempts[0]).toMatchObject({ statusCode: 429, retryInMs: 1000 });
    expect((second?.receivedAt ?? 0) - (first?.receivedAt ?? 0)).toBeGreaterThanOrEqual(990);
  });

  it('refuses a loopback address without the local-mode setting, sending nothing', async () => {
    // Prepare
    receiver = await startWebhookReceiver();

    // Act
    const result = await deliveryThrough(false)({ webhookId: WEBHOOK_ID, url: receiver.url }, MESSAGE);

    // Assess
    expect(result).toMatchObject({ outcome: 'failed', error: expect.stringContaining('not a public IP address') });
    expect(result.attempts).toHaveLength(1);
    expect(receiver.received).toHaveLength(0);
  });

  it('refuses a host name that resolves to loopback when it connects', async () => {
    // Prepare
    receiver = await startWebhookReceiver();
    const byName = receiver.url.replace('127.0.0.1', 'localhost');

    // Act
    const result = await deliveryThrough(false)({ webhookId: WEBHOOK_ID, url: byName }, MESSAGE);

    // Assess
    expect(result).toMatchObject({ outcome: 'failed', error: expect.stringContaining('not a public IP address') });
    expect(receiver.received).toHaveLength(0);
  });
});
