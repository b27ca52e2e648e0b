import type { RegistryEvent } from '../../../shared/domain/registry/events.js';
import type { RegistryEventLog } from '../../../shared/domain/registry/ports.js';
import type { Webhook } from '../../../shared/domain/webhooks/entities.js';
import type { DeliveryMarker, DeliveryRecord, WebhookDeliveryLog, WebhookStore } from '../../../shared/domain/webhooks/ports.js';

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
    async list(maxResults) {
      const all = [...items.values()].sort((a, b) => b.creationTimestamp - a.creationTimestamp);
      return { webhooks: all.slice(0, maxResults) };
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
    async listRecords(webhookId: string) {
      return log.records.filter((r) => r.webhookId === webhookId).reverse();
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
