import { describe, expect, it } from 'vitest';
import { fromDeliveryItem, fromWebhookItem, toDeliveryItem, toWebhookItem } from '../../../shared/data/webhooks/codec.js';
import { deliveryKey, deliveryMarkerKey, dispatchCursorKey, webhookKey } from '../../../shared/data/webhooks/keys.js';
import { MlflowError } from '../../../shared/errors/index.js';
import { errorOf } from '../../support/error-of.js';
import { aWebhook } from '../../support/fakes/webhooks.js';

describe('webhook items', () => {
  it('round-trips a webhook, keyed and listed by creation time', () => {
    // Prepare
    const webhook = aWebhook({ description: 'd', encryptedSecret: 'v1.a.b.c' });

    // Act
    const item = toWebhookItem(webhook);

    // Assess
    expect(item).toMatchObject({ pk: 'WEBHOOK#wh-1', sk: 'WEBHOOK', gsi1pk: 'WEBHOOKS', gsi1sk: '001767225000000#wh-1', _et: 'webhook', _v: 1 });
    expect(fromWebhookItem(item)).toEqual({ webhook, deleted: false });
  });

  it('reads a deleted webhook as deleted', () => {
    // Prepare
    const item = { ...toWebhookItem(aWebhook()), deletedTimestamp: 5 };

    // Act & Assess
    expect(fromWebhookItem(item).deleted).toBe(true);
  });

  it('refuses an item of another entity type as INTERNAL_ERROR', () => {
    // Prepare
    const item = { ...toWebhookItem(aWebhook()), _et: 'registry-event' };

    // Act & Assess
    expect(MlflowError.is(errorOf(() => fromWebhookItem(item)), 'INTERNAL_ERROR')).toBe(true);
  });

  it('round-trips a delivery record under its webhook, sorted by start time', () => {
    // Prepare
    const record = {
      webhookId: 'wh-1',
      deliveryId: 'd-1',
      eventId: 'ev-1',
      entity: 'MODEL_VERSION' as const,
      action: 'CREATED' as const,
      outcome: 'failed' as const,
      statusCode: 410,
      error: 'HTTP 410',
      attempts: [{ attempt: 1, startedAt: 10, durationMs: 3, statusCode: 410 }],
      startedAt: 10,
      durationMs: 3,
    };

    // Act
    const item = toDeliveryItem(record);

    // Assess
    expect(item).toMatchObject(deliveryKey('wh-1', 10, 'd-1'));
    expect(item.sk).toBe('000000000000010#d-1');
    expect(fromDeliveryItem(item)).toEqual(record);
  });

  it('builds the other keys as documented in keys.ts', () => {
    // Act & Assess
    expect(webhookKey('x')).toEqual({ pk: 'WEBHOOK#x', sk: 'WEBHOOK' });
    expect(deliveryMarkerKey('x', 'ev')).toEqual({ pk: 'WHEVT#x', sk: 'ev' });
    expect(dispatchCursorKey()).toEqual({ pk: 'DISPATCH#webhooks', sk: 'CURSOR' });
  });
});
