import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { WebhookTargetRefused } from '../../../shared/domain/webhooks/address-guard.js';
import type { OutgoingMessage } from '../../../shared/domain/webhooks/ports.js';
import { createSecretBox } from '../../../shared/domain/webhooks/secret-box.js';
import { verifySignature } from '../../../shared/domain/webhooks/signing.js';
import { createWebhookDelivery } from '../../../shared/domain/webhooks/delivery.js';
import type { HttpPost, HttpResponse } from '../../../shared/domain/webhooks/ports.js';

const WEBHOOK_ID = 'c0ffee00-0000-4000-8000-000000000001';
const MESSAGE: OutgoingMessage = {
  event: { entity: 'MODEL_VERSION', action: 'CREATED' },
  data: { name: 'wine', version: '1' },
  timestampMs: Date.UTC(2026, 0, 1),
  deliveryId: '5f2b9c3e-1a2b-4c3d-8e9f-0123456789ab',
};

interface Sent {
  body: string;
  headers: Record<string, string>;
}

/** A receiver scripted with responses (or errors), recording what it was sent, and a clock that sleeps instantly. */
const scripted = (...script: (Partial<HttpResponse> | Error)[]) => {
  const sent: Sent[] = [];
  const sleeps: number[] = [];
  let clock = Date.UTC(2026, 0, 1, 12);
  const post: HttpPost = async (_url, body, headers) => {
    sent.push({ body, headers });
    const next = script.shift() ?? { status: 200 };
    if (next instanceof Error) throw next;
    return { status: 200, headers: {}, body: '', ...next };
  };
  const options = {
    post,
    now: () => clock,
    sleep: async (ms: number) => {
      sleeps.push(ms);
      clock += ms;
    },
    random: () => 0,
  };
  return { sent, sleeps, options };
};

const box = createSecretBox(randomBytes(32));
const webhook = (secret?: string) => ({
  webhookId: WEBHOOK_ID,
  url: 'https://hooks.example/mlflow',
  ...(secret ? { encryptedSecret: box.encrypt(secret, WEBHOOK_ID) } : {}),
});

describe('webhook delivery', () => {
  it('succeeds on 2xx at the first attempt, with MLflow\'s headers and a verifiable signature', async () => {
    // Prepare
    const { sent, options } = scripted({ status: 204 });
    const deliver = createWebhookDelivery({ ...options, secretBox: box });

    // Act
    const result = await deliver(webhook('s3cret'), MESSAGE);

    // Assess
    const [request] = sent;
    expect(result).toMatchObject({ outcome: 'success', statusCode: 204, deliveryId: MESSAGE.deliveryId });
    expect(request?.headers).toMatchObject({
      'Content-Type': 'application/json',
      'X-MLflow-Delivery-Id': MESSAGE.deliveryId,
      'X-MLflow-Timestamp': String(Date.UTC(2026, 0, 1, 12) / 1000),
    });
    const h = request?.headers ?? {};
    expect(verifySignature('s3cret', h['X-MLflow-Delivery-Id']!, h['X-MLflow-Timestamp']!, request?.body ?? '', h['X-MLflow-Signature'])).toBe(true);
  });

  it('sends no signature header when the webhook has no secret', async () => {
    // Prepare
    const { sent, options } = scripted({ status: 200 });

    // Act
    await createWebhookDelivery({ ...options, secretBox: box })(webhook(), MESSAGE);

    // Assess
    expect(sent[0]?.headers['X-MLflow-Signature']).toBeUndefined();
  });

  it('retries 5xx with exponential backoff until the receiver accepts', async () => {
    // Prepare
    const { sent, sleeps, options } = scripted({ status: 500 }, { status: 502 }, { status: 200 });

    // Act
    const result = await createWebhookDelivery({ ...options, secretBox: box })(webhook('s'), MESSAGE);

    // Assess
    expect(result.outcome).toBe('success');
    expect(sleeps).toEqual([1000, 2000]);
    expect(result.attempts.map((a) => a.statusCode)).toEqual([500, 502, 200]);
    expect(new Set(sent.map((s) => s.headers['X-MLflow-Delivery-Id'])).size).toBe(1);
  });

  it('re-signs each attempt with its own timestamp', async () => {
    // Prepare
    const { sent, options } = scripted({ status: 503 }, { status: 200 });

    // Act
    await createWebhookDelivery({ ...options, secretBox: box })(webhook('s'), MESSAGE);

    // Assess
    const [first, second] = sent.map((s) => s.headers);
    expect(first?.['X-MLflow-Timestamp']).not.toBe(second?.['X-MLflow-Timestamp']);
    expect(verifySignature('s', MESSAGE.deliveryId, second!['X-MLflow-Timestamp']!, sent[1]!.body, second!['X-MLflow-Signature'])).toBe(true);
  });

  it('waits as long as Retry-After says on 429', async () => {
    // Prepare
    const { sleeps, options } = scripted({ status: 429, headers: { 'retry-after': '3' } }, { status: 200 });

    // Act
    await createWebhookDelivery({ ...options, secretBox: box })(webhook(), MESSAGE);

    // Assess
    expect(sleeps).toEqual([3000]);
  });

  it('does not retry a 4xx other than 408 and 429', async () => {
    // Prepare
    const { sent, options } = scripted({ status: 404, body: 'no such hook' });

    // Act
    const result = await createWebhookDelivery({ ...options, secretBox: box })(webhook(), MESSAGE);

    // Assess
    expect(sent).toHaveLength(1);
    expect(result).toMatchObject({ outcome: 'failed', statusCode: 404, responseBody: 'no such hook', error: 'HTTP 404' });
  });

  it('retries network errors and gives up after maxAttempts, recording every attempt', async () => {
    // Prepare
    const refused = Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
    const { sent, options } = scripted(refused, refused, refused);

    // Act
    const result = await createWebhookDelivery({ ...options, secretBox: box, policy: { maxAttempts: 3 } })(webhook(), MESSAGE);

    // Assess
    expect(sent).toHaveLength(3);
    expect(result.outcome).toBe('failed');
    expect(result.attempts.map((a) => a.error)).toEqual(Array(3).fill('connect ECONNREFUSED'));
    expect(result.attempts.map((a) => a.retryInMs)).toEqual([1000, 2000, undefined]);
  });

  it('never retries a target the address guard refused', async () => {
    // Prepare
    const { sent, options } = scripted(new WebhookTargetRefused('internal.example', '10.0.0.1'));

    // Act
    const result = await createWebhookDelivery({ ...options, secretBox: box })(webhook(), MESSAGE);

    // Assess
    expect(sent).toHaveLength(1);
    expect(result).toMatchObject({ outcome: 'failed', error: expect.stringContaining('not a public IP address') });
  });

  it('fails without sending when the stored secret cannot be decrypted', async () => {
    // Prepare
    const { sent, options } = scripted();
    const otherBox = createSecretBox(randomBytes(32));

    // Act
    const result = await createWebhookDelivery({ ...options, secretBox: otherBox })(webhook('s'), MESSAGE);

    // Assess
    expect(sent).toHaveLength(0);
    expect(result.outcome).toBe('failed');
  });
});
