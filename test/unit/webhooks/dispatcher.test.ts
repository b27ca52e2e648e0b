import { describe, expect, it } from 'vitest';
import type { DeliverFn, OutgoingMessage } from '../../../shared/domain/webhooks/ports.js';
import { createWebhookDispatcher, deliveryIdFor } from '../../../shared/domain/webhooks/dispatcher.js';
import { aRegistryEvent } from '../../support/registry-event-builder.js';
import { aWebhook, memoryDeliveryLog, memoryEventLog, memoryWebhookStore } from '../../support/fakes/webhooks.js';

const T0 = 1_767_225_600_000;
const versionCreated = (timestamp: number, version = '1') =>
  aRegistryEvent('MODEL_VERSION_CREATED', { name: 'wine', version, source: 'models:/m-1', tags: {} }, { timestamp });

/** A receiver that accepts everything (or throws when told to), recording what it got. */
const recordingDeliver = () => {
  const sent: { webhookId: string; message: OutgoingMessage }[] = [];
  let failWith: Error | undefined;
  const deliver: DeliverFn = async (webhook, message) => {
    if (failWith) throw failWith;
    sent.push({ webhookId: webhook.webhookId, message });
    return { deliveryId: message.deliveryId, outcome: 'success', statusCode: 200, attempts: [], startedAt: T0, durationMs: 1 };
  };
  return { sent, deliver, failNext: (error?: Error) => (failWith = error) };
};

const setUp = (events = [versionCreated(T0)]) => {
  const eventLog = memoryEventLog(events);
  const webhooks = memoryWebhookStore();
  const deliveries = memoryDeliveryLog();
  const receiver = recordingDeliver();
  const make = () =>
    createWebhookDispatcher({ eventLog, webhooks, deliveries, deliver: receiver.deliver, lagMs: 5000, batch: 2, logError: () => undefined });
  return { eventLog, webhooks, deliveries, receiver, make };
};

describe('webhook dispatcher', () => {
  it('delivers an event to a subscribed webhook and moves the cursor past it', async () => {
    // Prepare
    const { webhooks, deliveries, receiver, make, eventLog } = setUp();
    await webhooks.create(aWebhook());

    // Act
    const summary = await make().runOnce();

    // Assess
    expect(receiver.sent).toHaveLength(1);
    expect(receiver.sent[0]?.message).toMatchObject({ event: { entity: 'MODEL_VERSION', action: 'CREATED' }, timestampMs: T0 });
    expect(summary.cursor).toBe(eventLog.events[0]?.logPosition);
    expect(deliveries.records).toHaveLength(1);
  });

  it('skips disabled webhooks, webhooks not subscribed, and webhooks created after the event', async () => {
    // Prepare
    const { webhooks, receiver, make } = setUp();
    await webhooks.create(aWebhook({ webhookId: 'disabled', status: 'DISABLED' }));
    await webhooks.create(aWebhook({ webhookId: 'other-event', events: [{ entity: 'REGISTERED_MODEL', action: 'CREATED' }] }));
    await webhooks.create(aWebhook({ webhookId: 'newer', creationTimestamp: T0 + 1 }));

    // Act
    await make().runOnce();

    // Assess
    expect(receiver.sent).toEqual([]);
  });

  it('does not deliver an event twice when a new dispatcher rereads it within the look-back window', async () => {
    // Prepare
    const { webhooks, receiver, make } = setUp();
    await webhooks.create(aWebhook());
    await make().runOnce();

    // Act
    await make().runOnce();

    // Assess
    expect(receiver.sent).toHaveLength(1);
  });

  it('delivers an event that landed behind the cursor, within the look-back window', async () => {
    // Prepare
    const { webhooks, receiver, make, eventLog } = setUp([versionCreated(T0 + 3000, '1')]);
    await webhooks.create(aWebhook());
    const dispatcher = make();
    await dispatcher.runOnce();

    // Act
    eventLog.events.push(versionCreated(T0 + 1000, '2')); // stamped earlier, committed later
    await dispatcher.runOnce();

    // Assess
    expect(receiver.sent.map((s) => s.message.data.version)).toEqual(['1', '2']);
  });

  it('keeps the cursor before an event whose delivery could not finish, and delivers it on the next run', async () => {
    // Prepare
    const { webhooks, deliveries, receiver, make } = setUp();
    await webhooks.create(aWebhook());
    receiver.failNext(new Error('process stopped'));
    const first = await make().runOnce();

    // Act
    receiver.failNext(undefined);
    const second = await make().runOnce();

    // Assess
    expect(first).toMatchObject({ stalled: true, delivered: 0 });
    expect(first.cursor).toBeUndefined();
    expect(second).toMatchObject({ stalled: false, delivered: 1 });
    expect(deliveries.cursor).toBe(second.cursor);
  });

  it('reads past one batch in a single run', async () => {
    // Prepare
    const { webhooks, receiver, make } = setUp([1, 2, 3, 4, 5].map((i) => versionCreated(T0 + i, String(i))));
    await webhooks.create(aWebhook());

    // Act
    const summary = await make().runOnce();

    // Assess
    expect(receiver.sent.map((s) => s.message.data.version)).toEqual(['1', '2', '3', '4', '5']);
    expect(summary.delivered).toBe(5);
  });

  it('uses the same delivery id whenever it delivers one event to one webhook', () => {
    // Act & Assess
    expect(deliveryIdFor('wh-1', 'ev-1')).toBe(deliveryIdFor('wh-1', 'ev-1'));
    expect(deliveryIdFor('wh-1', 'ev-1')).not.toBe(deliveryIdFor('wh-2', 'ev-1'));
    expect(deliveryIdFor('wh-1', 'ev-1')).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it('runs on its own once started, until stopped', async () => {
    // Prepare
    const { webhooks, receiver, make, eventLog } = setUp([]);
    await webhooks.create(aWebhook());
    const dispatcher = make();

    // Act
    dispatcher.start(5);
    eventLog.events.push(versionCreated(T0));
    await expect.poll(() => receiver.sent.length).toBe(1);
    await dispatcher.stop();

    // Assess
    expect(receiver.sent).toHaveLength(1);
  });
});
