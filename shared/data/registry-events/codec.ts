import { z } from 'zod';
import { REGISTRY_EVENT_TYPES, type RegistryEvent } from '../../domain/registry/events.js';
import { entityHeader, parseItem, stamp } from '../codec.js';
import type { Item } from '../dynamo-ops.js';
import { registryEventKey, registryEventLogKey } from './keys.js';

/** The `_et` of event items; the stream handler (functions/webhooks/lambda-dispatch.ts) picks them out by it. */
export const REGISTRY_EVENT_ENTITY = 'registry-event';
const ENTITY = REGISTRY_EVENT_ENTITY;

const RegistryEventItemSchema = z.object({
  ...entityHeader(ENTITY),
  eventId: z.string(),
  type: z.enum(REGISTRY_EVENT_TYPES),
  modelId: z.string(),
  modelName: z.string(),
  position: z.number(),
  logPosition: z.string(),
  timestamp: z.number(),
  version: z.string().optional(),
  data: z.record(z.string(), z.unknown()),
});

export const toRegistryEventItem = (event: RegistryEvent): Item => ({
  ...registryEventKey(event.modelId, event.position),
  ...registryEventLogKey(event.logPosition),
  ...stamp(ENTITY),
  ...event,
});

export const fromRegistryEventItem = (item: Item): RegistryEvent => {
  const { _et, _v, ...event } = parseItem(RegistryEventItemSchema, item);
  return event;
};
