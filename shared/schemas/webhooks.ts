import { z } from 'zod';
import { WEBHOOK_ACTIONS, WEBHOOK_ENTITIES, WEBHOOK_STATUSES } from '../domain/webhooks/entities.js';
import { Int32, protoEnum, RequiredString } from './common.js';

/**
 * Requests of the webhook RPCs (mlflow/protos/webhooks.proto). Enums come by name or by proto number
 * (`WebhookEntity` and `WebhookAction` start at 1; 0 is their UNSPECIFIED value, which is refused).
 */
export const WebhookEventRequest = z.object({
  entity: protoEnum(WEBHOOK_ENTITIES),
  action: protoEnum(WEBHOOK_ACTIONS),
});

const WebhookStatusRequest = protoEnum(WEBHOOK_STATUSES);

export const CreateWebhookRequest = z.object({
  name: RequiredString,
  url: RequiredString,
  events: z.array(WebhookEventRequest),
  description: z.string().optional(),
  secret: z.string().optional(),
  status: WebhookStatusRequest.optional(),
});

export const ListWebhooksRequest = z.object({
  max_results: Int32.optional(),
  page_token: z.string().optional(),
});

export const WebhookIdRequest = z.object({ webhook_id: RequiredString });

export const UpdateWebhookRequest = WebhookIdRequest.extend({
  name: z.string().optional(),
  description: z.string().optional(),
  url: z.string().optional(),
  events: z.array(WebhookEventRequest).optional(),
  secret: z.string().optional(),
  status: WebhookStatusRequest.optional(),
});

export const TestWebhookRequest = WebhookIdRequest.extend({ event: WebhookEventRequest.optional() });
