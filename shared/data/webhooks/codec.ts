import { z } from 'zod';
import { WEBHOOK_ACTIONS, WEBHOOK_ENTITIES, WEBHOOK_STATUSES, type Webhook } from '../../domain/webhooks/entities.js';
import type { DeliveryMarker, DeliveryRecord } from '../../domain/webhooks/ports.js';
import { entityHeader, parseItem, stamp } from '../codec.js';
import type { Item } from '../dynamo-ops.js';
import { deliveryKey, deliveryMarkerKey, dispatchCursorKey, webhookKey, webhookListingKey } from './keys.js';

const WEBHOOK = 'webhook';
const DELIVERY = 'webhook-delivery';
const MARKER = 'webhook-delivery-marker';
const CURSOR = 'webhook-dispatch-cursor';

const EventSchema = z.object({ entity: z.enum(WEBHOOK_ENTITIES), action: z.enum(WEBHOOK_ACTIONS) });

const WebhookItemSchema = z.object({
  ...entityHeader(WEBHOOK),
  webhookId: z.string(),
  name: z.string(),
  description: z.string().optional(),
  url: z.string(),
  events: z.array(EventSchema).min(1),
  status: z.enum(WEBHOOK_STATUSES),
  encryptedSecret: z.string().optional(),
  creationTimestamp: z.number(),
  lastUpdatedTimestamp: z.number(),
  /** Set by a delete; a deleted webhook is kept for its delivery history but is never read as live. */
  deletedTimestamp: z.number().optional(),
});

export const toWebhookItem = (webhook: Webhook): Item => ({
  ...webhookKey(webhook.webhookId),
  ...webhookListingKey(webhook.creationTimestamp, webhook.webhookId),
  ...stamp(WEBHOOK),
  ...webhook,
});

/** The webhook, and whether it was deleted. */
export const fromWebhookItem = (item: Item): { webhook: Webhook; deleted: boolean } => {
  const { _et, _v, deletedTimestamp, ...webhook } = parseItem(WebhookItemSchema, item);
  return { webhook, deleted: deletedTimestamp !== undefined };
};

const AttemptSchema = z.object({
  attempt: z.number(),
  startedAt: z.number(),
  durationMs: z.number(),
  statusCode: z.number().optional(),
  error: z.string().optional(),
  retryInMs: z.number().optional(),
});

const DeliveryItemSchema = z.object({
  ...entityHeader(DELIVERY),
  webhookId: z.string(),
  deliveryId: z.string(),
  eventId: z.string(),
  entity: z.enum(WEBHOOK_ENTITIES),
  action: z.enum(WEBHOOK_ACTIONS),
  outcome: z.enum(['success', 'failed']),
  statusCode: z.number().optional(),
  error: z.string().optional(),
  attempts: z.array(AttemptSchema),
  startedAt: z.number(),
  durationMs: z.number(),
});

export const toDeliveryItem = (record: DeliveryRecord): Item => ({
  ...deliveryKey(record.webhookId, record.startedAt, record.deliveryId),
  ...stamp(DELIVERY),
  ...record,
});

export const fromDeliveryItem = (item: Item): DeliveryRecord => {
  const { _et, _v, ...record } = parseItem(DeliveryItemSchema, item);
  return record;
};

const MarkerItemSchema = z.object({
  ...entityHeader(MARKER),
  webhookId: z.string(),
  eventId: z.string(),
  deliveryId: z.string(),
  outcome: z.enum(['success', 'failed']),
  statusCode: z.number().optional(),
  completedAt: z.number(),
});

export const toMarkerItem = (marker: DeliveryMarker): Item => ({
  ...deliveryMarkerKey(marker.webhookId, marker.eventId),
  ...stamp(MARKER),
  ...marker,
});

export const fromMarkerItem = (item: Item): DeliveryMarker => {
  const { _et, _v, ...marker } = parseItem(MarkerItemSchema, item);
  return marker;
};

const CursorItemSchema = z.object({ ...entityHeader(CURSOR), position: z.string(), updatedAt: z.number() });

export const toCursorItem = (position: string, updatedAt: number): Item => ({
  ...dispatchCursorKey(),
  ...stamp(CURSOR),
  position,
  updatedAt,
});

export const fromCursorItem = (item: Item): string => parseItem(CursorItemSchema, item).position;
