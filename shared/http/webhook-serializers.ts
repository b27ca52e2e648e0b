import type { Webhook } from '../domain/webhooks/entities.js';
import type { WebhookTestResult } from '../domain/webhooks/use-cases.js';

/**
 * MLflow's `Webhook` message as JSON (proto field order; `description` omitted when empty; enums as names;
 * timestamps as numbers). The secret is never part of it.
 */
export const webhookToJson = (webhook: Webhook): Record<string, unknown> => ({
  webhook_id: webhook.webhookId,
  name: webhook.name,
  ...(webhook.description ? { description: webhook.description } : {}),
  url: webhook.url,
  events: webhook.events.map((e) => ({ entity: e.entity, action: e.action })),
  status: webhook.status,
  creation_timestamp: webhook.creationTimestamp,
  last_updated_timestamp: webhook.lastUpdatedTimestamp,
});

/** MLflow's `WebhookTestResult`: `success` always, the other fields only when set. */
export const webhookTestResultToJson = (result: WebhookTestResult): Record<string, unknown> => ({
  success: result.success,
  ...(result.responseStatus !== undefined ? { response_status: result.responseStatus } : {}),
  ...(result.responseBody !== undefined ? { response_body: result.responseBody } : {}),
  ...(result.errorMessage !== undefined ? { error_message: result.errorMessage } : {}),
});
