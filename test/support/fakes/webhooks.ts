import { randomBytes } from 'node:crypto';
import type { LookupAddress } from 'node:dns';
import { decodeOffsetPageToken, offsetPage } from '../../../shared/domain/kernel/page-token.js';
import type { RegistryEvent } from '../../../shared/domain/registry/events.js';
import type { RegistryEventLog } from '../../../shared/domain/registry/ports.js';
import type { Webhook } from '../../../shared/domain/webhooks/entities.js';
import { createAddressGuard } from '../../../shared/domain/webhooks/address-guard.js';
import type { DeliverFn, DeliveryMarker, DeliveryRecord, WebhookDeliveryLog, WebhookDeps, WebhookStore } from '../../../shared/domain/webhooks/ports.js';
import { createSecretBox } from '../../../shared/domain/webhooks/secret-box.js';

/** In-memory stand-ins for the DynamoDB-backed pieces, for unit tests of the dispatcher and the use cases. */
export const memoryEventLog = (events: RegistryEvent[] = []): RegistryEventLog & { events: RegistryEvent[] } => ({
  events,
  async listAfter(cursor, limit) {
    return [...events]
      .sort((a, b) => (a.logPosition < b.logPosition ? -1 : 1))
      .filter((e) => cursor === undefined || e.logPosition > cursor)
      .slice(0, limit);
  },
});

/** Like the table's listing, newest first; the fake pages by offset with the same token codec. */
const LISTING = { kind: 'webhooks/list', request: [] };

export const memoryWebhookStore = (): WebhookStore & { items: Map<string, Webhook> } => {
  const items = new Map<string, Webhook>();
  return {
    items,
    async create(webhook) {
      items.set(webhook.webhookId, webhook);
    },
    async get(id) {
      return items.get(id);
    },
    async list(maxResults, pageToken) {
      const all = [...items.values()].sort((a, b) => b.creationTimestamp - a.creationTimestamp || (a.webhookId < b.webhookId ? 1 : -1));
      const { page, nextPageToken } = offsetPage(all, LISTING, decodeOffsetPageToken(pageToken, LISTING), maxResults);
      return { webhooks: page, ...(nextPageToken ? { nextPageToken } : {}) };
    },
    async listAll() {
      return [...items.values()];
    },
    async update(id, changes, now) {
      const current = items.get(id);
      if (!current) return undefined;
      const updated = { ...current, ...changes, lastUpdatedTimestamp: now };
      items.set(id, updated);
      return updated;
    },
    async delete(id) {
      return items.delete(id);
    },
  };
};

export const memoryDeliveryLog = (): WebhookDeliveryLog & { records: DeliveryRecord[]; markers: Map<string, DeliveryMarker>; cursor?: string } => {
  const log = {
    records: [] as DeliveryRecord[],
    markers: new Map<string, DeliveryMarker>(),
    cursor: undefined as string | undefined,
    async record(record: DeliveryRecord) {
      log.records.push(record);
    },
    async listRecords(webhookId: string, limit?: number) {
      return log.records.filter((r) => r.webhookId === webhookId).reverse().slice(0, limit);
    },
    async getMarker(webhookId: string, eventId: string) {
      return log.markers.get(`${webhookId}#${eventId}`);
    },
    async putMarker(marker: DeliveryMarker) {
      const key = `${marker.webhookId}#${marker.eventId}`;
      if (log.markers.has(key)) return false;
      log.markers.set(key, marker);
      return true;
    },
    async getCursor() {
      return log.cursor;
    },
    async moveCursor(from: string | undefined, to: string) {
      if (log.cursor !== from) return false;
      log.cursor = to;
      return true;
    },
  };
  return log;
};

export const aWebhook = (overrides: Partial<Webhook> = {}): Webhook => ({
  webhookId: 'wh-1',
  name: 'hook',
  url: 'https://hooks.example/mlflow',
  events: [{ entity: 'MODEL_VERSION', action: 'CREATED' }],
  status: 'ACTIVE',
  creationTimestamp: 1_767_225_000_000,
  lastUpdatedTimestamp: 1_767_225_000_000,
  ...overrides,
});

export interface MemoryWebhookDepsOptions {
  /** The one address every host name resolves to (default a public one). */
  readonly resolvesTo?: string;
  readonly allowPrivateTargets?: boolean;
  /** Default: every delivery succeeds with 200 "ok" and is recorded in `sent`. */
  readonly deliver?: DeliverFn;
  readonly now?: () => number;
}

/**
 * The webhook use cases' ports in memory: a store, a real secret box and address guard (with a fixed resolver),
 * ids counting up, and a delivery that records what it was asked to send.
 */
export const memoryWebhookDeps = (options: MemoryWebhookDepsOptions = {}) => {
  let ids = 0;
  const sent: Parameters<DeliverFn>[] = [];
  const resolve = async (): Promise<LookupAddress[]> => [{ address: options.resolvesTo ?? '93.184.215.14', family: 4 }];
  const webhooks = memoryWebhookStore();
  const deliver: DeliverFn = async (...args) => {
    sent.push(args);
    if (options.deliver) return options.deliver(...args);
    const [, message] = args;
    return { deliveryId: message.deliveryId, outcome: 'success', statusCode: 200, responseBody: 'ok', attempts: [], startedAt: 0, durationMs: 1 };
  };
  const deps: WebhookDeps = {
    webhooks,
    secretBox: createSecretBox(randomBytes(32)),
    addressGuard: createAddressGuard({ allowPrivateTargets: options.allowPrivateTargets ?? false, resolve }),
    deliver,
    now: options.now ?? (() => 1_767_225_600_000),
    newId: () => `00000000-0000-4000-8000-${String(++ids).padStart(12, '0')}`,
  };
  return { deps, webhooks, sent };
};
