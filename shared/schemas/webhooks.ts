import { z } from 'zod';
import { WEBHOOK_ACTIONS, WEBHOOK_ENTITIES, WEBHOOK_STATUSES } from '../domain/webhooks/entities.js';
import { webhookNotFound } from '../domain/webhooks/errors.js';
import { LIMITS } from '../domain/tracking/validation.js';
import { Int32, limitedText, protoEnum, requiredKey, RequiredString } from './common.js';

/**
 * Requests of the webhook RPCs (mlflow/protos/webhooks.proto). Enums come by name or by proto number
 * (`WebhookEntity` and `WebhookAction` start at 1; 0 is their UNSPECIFIED value, which is refused).
 */
export const WebhookEventRequest = z.object({
  entity: protoEnum(WEBHOOK_ENTITIES),
  action: protoEnum(WEBHOOK_ACTIONS),
});

const WebhookStatusRequest = protoEnum(WEBHOOK_STATUSES);

// MLflow's webhook names have at most 63 characters (checked with its own message in the domain); the
// bounds below keep a long one from being echoed whole. Url, description and secret are Cairn's limits.
const Name = limitedText('Webhook name', 1000);
const Url = limitedText('Webhook URL', LIMITS.webhookUrlLength);
const Description = limitedText('Webhook description', LIMITS.webhookDescriptionLength);
const Secret = limitedText('Webhook secret', LIMITS.webhookSecretLength);
/** MLflow has 20 (entity, action) pairs; a list longer than this can only repeat them. */
const Events = z.array(WebhookEventRequest).max(100);

export const CreateWebhookRequest = z.object({
  name: Name.pipe(RequiredString),
  url: Url.pipe(RequiredString),
  events: Events,
  description: Description.optional(),
  secret: Secret.optional(),
  status: WebhookStatusRequest.optional(),
});

export const ListWebhooksRequest = z.object({
  max_results: Int32.optional(),
  page_token: z.string().optional(),
});

/** A webhook to look up: an id too long for a key names no webhook. */
export const WebhookId = requiredKey(webhookNotFound);
export const WebhookIdRequest = z.object({ webhook_id: WebhookId });

export const UpdateWebhookRequest = WebhookIdRequest.extend({
  name: Name.optional(),
  description: Description.optional(),
  url: Url.optional(),
  events: Events.optional(),
  secret: Secret.optional(),
  status: WebhookStatusRequest.optional(),
});

export const TestWebhookRequest = WebhookIdRequest.extend({ event: WebhookEventRequest.optional() });
