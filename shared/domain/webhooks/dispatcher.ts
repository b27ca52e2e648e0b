import { createHash } from 'node:crypto';
import type { RegistryEvent } from '../registry/events.js';
import type { RegistryEventLog } from '../registry/ports.js';
import { isSubscribed, type Webhook } from './entities.js';
import { webhookMessagesFor, type WebhookMessage } from './payloads.js';
import type { DeliverFn, WebhookDeliveryLog, WebhookStore } from './ports.js';

export interface WebhookDispatcherOptions {
  readonly eventLog: RegistryEventLog;
  readonly webhooks: Pick<WebhookStore, 'listAll'>;
  readonly deliveries: WebhookDeliveryLog;
  readonly deliver: DeliverFn;
  /**
   * Look-back window: each run rereads the events stamped up to this long before the cursor. Writers stamp
   * events with their own clocks and commit a little later, so an event can land behind a cursor that has
   * already moved on; the markers make rereading safe. Default 5 s.
   */
  readonly lagMs?: number;
  /** Events read per query. Default 100. */
  readonly batch?: number;
  readonly logError?: (error: unknown) => void;
}

export interface DispatchSummary {
  /** Events read, look-back window included. */
  readonly events: number;
  /** Deliveries made in this run (each to one webhook, with its retries). */
  readonly delivered: number;
  readonly cursor?: string;
  /** True when an event could not be finished (its delivery threw): the next run starts again there. */
  readonly stalled: boolean;
}

export interface WebhookDispatcher {
  /** Reads the events after the cursor, delivers them, moves the cursor past what reached a final outcome. */
  runOnce(): Promise<DispatchSummary>;
  /** Runs every `intervalMs` until `stop()`, one run at a time. */
  start(intervalMs?: number): void;
  /** Stops the loop and waits for the run in progress. */
  stop(): Promise<void>;
}

/** Same event, same webhook → same `X-MLflow-Delivery-Id` (a UUIDv5-style name-based id), across redeliveries. */
export const deliveryIdFor = (webhookId: string, eventId: string): string => {
  const hash = createHash('sha1').update(`cairn-webhook-delivery:${webhookId}:${eventId}`).digest();
  hash[6] = ((hash[6] ?? 0) & 0x0f) | 0x50;
  hash[8] = ((hash[8] ?? 0) & 0x3f) | 0x80;
  const hex = hash.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
};

/** The start of the look-back window: a log position that sorts before every event stamped at or after it. */
const lookBackFrom = (cursor: string, lagMs: number): string => {
  const stamped = Number(cursor.slice(0, 15));
  return Number.isFinite(stamped) ? String(Math.max(0, stamped - lagMs)).padStart(15, '0') : cursor;
};

const DONE_CACHE_SIZE = 10_000;

/**
 * Delivers the registry's events to webhooks, at least once, from the event log the registry writes in the
 * same transaction as each change: an event written while no dispatcher ran (or while one crashed between
 * the change and the delivery) is delivered by the next run. Events go out in log order; the deliveries of
 * one event to several webhooks go out together. An event delivered to a webhook is marked, so rereading it
 * (look-back window, a crash before the cursor moved) does not deliver it twice after a final outcome.
 * A webhook gets the events stamped at or after its creation, if it is ACTIVE and subscribed when they go out.
 */
export const createWebhookDispatcher = (options: WebhookDispatcherOptions): WebhookDispatcher => {
  const lagMs = options.lagMs ?? 5000;
  const batch = options.batch ?? 100;
  const logError = options.logError ?? ((error: unknown) => console.error('cairn: webhook dispatch failed', error));
  const done = new Set<string>();
  const remember = (key: string) => {
    done.add(key);
    if (done.size > DONE_CACHE_SIZE) done.delete(done.values().next().value as string);
  };

  /** True once the delivery of `message` to `webhook` has a final outcome on record. */
  const deliverOnce = async (event: RegistryEvent, webhook: Webhook, message: WebhookMessage): Promise<boolean> => {
    const key = `${webhook.webhookId}#${event.eventId}`;
    if (done.has(key) || (await options.deliveries.getMarker(webhook.webhookId, event.eventId))) {
      remember(key);
      return false;
    }
    const result = await options.deliver(webhook, {
      event: message.event,
      data: message.data,
      timestampMs: event.timestamp,
      deliveryId: deliveryIdFor(webhook.webhookId, event.eventId),
    });
    await options.deliveries.record({
      webhookId: webhook.webhookId,
      deliveryId: result.deliveryId,
      eventId: event.eventId,
      entity: message.event.entity,
      action: message.event.action,
      outcome: result.outcome,
      ...(result.statusCode !== undefined ? { statusCode: result.statusCode } : {}),
      ...(result.error !== undefined ? { error: result.error } : {}),
      attempts: result.attempts,
      startedAt: result.startedAt,
      durationMs: result.durationMs,
    });
    await options.deliveries.putMarker({
      webhookId: webhook.webhookId,
      eventId: event.eventId,
      deliveryId: result.deliveryId,
      outcome: result.outcome,
      ...(result.statusCode !== undefined ? { statusCode: result.statusCode } : {}),
      completedAt: result.startedAt + result.durationMs,
    });
    remember(key);
    return true;
  };

  /** Delivers one event everywhere it goes; answers how many deliveries were made, or throws. */
  const dispatchEvent = async (event: RegistryEvent, webhooks: Webhook[]): Promise<number> => {
    const jobs = webhookMessagesFor(event).flatMap((message) =>
      webhooks
        .filter((w) => w.status === 'ACTIVE' && isSubscribed(w, message.event) && w.creationTimestamp <= event.timestamp)
        .map((webhook) => deliverOnce(event, webhook, message)),
    );
    // Wait for every delivery, even when one fails, so none is still running when the next run starts.
    const results = await Promise.allSettled(jobs);
    const failure = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failure) throw failure.reason;
    return results.filter((r) => r.status === 'fulfilled' && r.value).length;
  };

  const run = async (): Promise<DispatchSummary> => {
    const started = await options.deliveries.getCursor();
    const webhooks = await options.webhooks.listAll();
    let cursor = started;
    let after = started === undefined ? undefined : lookBackFrom(started, lagMs);
    let events = 0;
    let delivered = 0;
    let stalled = false;
    for (;;) {
      const page = await options.eventLog.listAfter(after, batch);
      events += page.length;
      let finished = cursor;
      for (const event of page) {
        try {
          delivered += await dispatchEvent(event, webhooks);
        } catch (error) {
          logError(error);
          stalled = true;
          break;
        }
        after = event.logPosition;
        if (finished === undefined || event.logPosition > finished) finished = event.logPosition;
      }
      if (finished !== undefined && finished !== cursor) {
        if (!(await options.deliveries.moveCursor(cursor, finished))) break; // another dispatcher moved it
        cursor = finished;
      }
      if (stalled || page.length < batch) break;
    }
    return { events, delivered, stalled, ...(cursor !== undefined ? { cursor } : {}) };
  };

  let running: Promise<DispatchSummary> | undefined;
  let timer: NodeJS.Timeout | undefined;
  let stopped = true;

  const runOnce = (): Promise<DispatchSummary> => {
    running ??= run().finally(() => {
      running = undefined;
    });
    return running;
  };

  return {
    runOnce,
    start(intervalMs = 1000) {
      if (!stopped) return;
      stopped = false;
      const tick = () => {
        runOnce()
          .catch(logError)
          .finally(() => {
            if (!stopped) timer = setTimeout(tick, intervalMs).unref();
          });
      };
      tick();
    },
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running?.catch(() => undefined);
    },
  };
};
