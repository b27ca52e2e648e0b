import { afterEach, describe, expect, it } from 'vitest';
import { createWebhookDeliveryLog } from '../../../shared/data/webhooks/delivery-log.js';
import { createWebhookRepository } from '../../../shared/data/webhooks/webhook-repository.js';
import { createRegistryEventLog } from '../../../shared/data/registry-events/repository.js';
import { createWebhook } from '../../../shared/domain/webhooks/use-cases.js';
import { createWebhookDispatcher } from '../../../shared/domain/webhooks/dispatcher.js';
import { aRegistryEvent } from '../../support/registry-event-builder.js';
import { ENGINES } from '../../support/test-api.js';
import { startWebhookReceiver, type WebhookReceiver } from '../../support/webhook-receiver.js';
import { freshTable, webhooksOn, writeRegistryEvent } from './table.js';

let receiver: WebhookReceiver | undefined;
afterEach(async () => {
  await receiver?.close();
  receiver = undefined;
});

/** A table with a webhook on a local receiver subscribed to new versions, as the API creates it. */
const setUp = async (engine: (typeof ENGINES)[number]) => {
  const db = await freshTable(engine);
  receiver = await startWebhookReceiver('whsec-e2e');
  const webhook = await createWebhook(webhooksOn(db).deps, {
    name: 'ci-trigger',
    url: receiver.url,
    events: [{ entity: 'MODEL_VERSION', action: 'CREATED' }],
    secret: 'whsec-e2e',
  });
  const event = aRegistryEvent(
    'MODEL_VERSION_CREATED',
    { name: 'wine', version: '4', source: 'models:/m-abc', run_id: 'r1', tags: { stage: 'candidate' } },
    { timestamp: Date.now() + 1, modelId: `rm-${Date.now()}` },
  );
  return { db, webhook, event, receiver };
};

describe.each(ENGINES)('webhook dispatcher on the registry event log (%s)', (engine) => {
  it('delivers an event written while no dispatcher ran, once one starts (no event lost)', async () => {
    // Prepare
    const { db, event, receiver } = await setUp(engine);
    await writeRegistryEvent(db, event);

    // Act
    const summary = await webhooksOn(db).dispatcher.runOnce();

    // Assess
    expect(summary).toMatchObject({ delivered: 1, stalled: false, cursor: event.logPosition });
    expect(receiver.received).toHaveLength(1);
    expect(receiver.received[0]?.signatureValid).toBe(true);
    expect(JSON.parse(receiver.received[0]?.body ?? '')).toMatchObject({
      entity: 'model_version',
      action: 'created',
      data: { name: 'wine', version: '4', source: 'models:/m-abc', run_id: 'r1', tags: { stage: 'candidate' }, description: null },
    });
  });

  it('delivers an event once after the process stopped between the change and the delivery', async () => {
    // Prepare
    const { db, event, receiver } = await setUp(engine);
    await writeRegistryEvent(db, event);
    const crashed = createWebhookDispatcher({
      eventLog: createRegistryEventLog(db),
      webhooks: createWebhookRepository(db),
      deliveries: createWebhookDeliveryLog(db),
      deliver: () => Promise.reject(new Error('process stopped')),
      logError: () => undefined,
    });
    const stalled = await crashed.runOnce();

    // Act
    await webhooksOn(db).dispatcher.runOnce();
    await webhooksOn(db).dispatcher.runOnce();

    // Assess
    expect(stalled).toMatchObject({ stalled: true, delivered: 0 });
    expect(receiver.received).toHaveLength(1);
  });

  it('redelivers after the receiver answers 500 twice, and records every attempt', async () => {
    // Prepare
    const { db, webhook, event, receiver } = await setUp(engine);
    receiver.respondWith({ status: 500 }, { status: 500 });
    await writeRegistryEvent(db, event);
    const webhooks = webhooksOn(db);

    // Act
    await webhooks.dispatcher.runOnce();

    // Assess
    const [record] = await webhooks.deliveries.listRecords(webhook.webhookId);
    expect(receiver.received).toHaveLength(3);
    expect(record).toMatchObject({ eventId: event.eventId, outcome: 'success', statusCode: 200, entity: 'MODEL_VERSION', action: 'CREATED' });
    expect(record?.attempts.map((a) => a.statusCode)).toEqual([500, 500, 200]);
  });

  it('does not deliver again an event it already delivered, when it rereads the log', async () => {
    // Prepare
    const { db, event, receiver } = await setUp(engine);
    await writeRegistryEvent(db, event);
    await webhooksOn(db).dispatcher.runOnce();

    // Act
    const again = await webhooksOn(db, { lagMs: 60_000 }).dispatcher.runOnce();

    // Assess
    expect(again).toMatchObject({ events: 1, delivered: 0 });
    expect(receiver.received).toHaveLength(1);
  });

  it('delivers nothing to a deleted webhook', async () => {
    // Prepare
    const { db, webhook, event, receiver } = await setUp(engine);
    await webhooksOn(db).deps.webhooks.delete(webhook.webhookId, Date.now());
    await writeRegistryEvent(db, event);

    // Act
    const summary = await webhooksOn(db).dispatcher.runOnce();

    // Assess
    expect(summary).toMatchObject({ delivered: 0, cursor: event.logPosition });
    expect(receiver.received).toHaveLength(0);
  });
});
