import { randomUUID } from 'node:crypto';
import { WebhookTargetRefused } from './address-guard.js';
import type { Webhook, WebhookChanges, WebhookEvent, WebhookStatus } from './entities.js';
import { invalidWebhookMaxResults, webhookNotFound, webhookUrlNotPublic } from './errors.js';
import { examplePayload } from './payloads.js';
import type { WebhookDeps, WebhookPage } from './ports.js';
import {
  allowedSchemes,
  validateEventCombinations,
  validateWebhookEvents,
  validateWebhookName,
  validateWebhookUrl,
} from './validation.js';

// The webhook RPCs, with MLflow's checks in MLflow's order: the handler builds `WebhookEvent`s first (so a
// bad entity/action pair is reported before anything else), then the store checks name, URL and events.

export interface CreateWebhookInput {
  name: string;
  url: string;
  events: WebhookEvent[];
  description?: string;
  secret?: string;
  status?: WebhookStatus;
}

/** @throws INVALID_PARAMETER_VALUE (name, URL, scheme, non-public target, events) */
export const createWebhook = async (deps: WebhookDeps, input: CreateWebhookInput): Promise<Webhook> => {
  validateEventCombinations(input.events);
  validateWebhookName(input.name);
  await validateTarget(deps, input.url);
  validateWebhookEvents(input.events);
  const webhookId = deps.newId();
  const now = deps.now();
  const webhook: Webhook = {
    webhookId,
    name: input.name,
    ...(input.description ? { description: input.description } : {}),
    url: input.url,
    events: input.events,
    status: input.status ?? 'ACTIVE',
    ...(input.secret ? { encryptedSecret: deps.secretBox.encrypt(input.secret, webhookId) } : {}),
    creationTimestamp: now,
    lastUpdatedTimestamp: now,
  };
  await deps.webhooks.create(webhook);
  return webhook;
};

/** @throws RESOURCE_DOES_NOT_EXIST */
export const getWebhook = async (deps: WebhookDeps, webhookId: string): Promise<Webhook> => {
  const webhook = await deps.webhooks.get(webhookId);
  if (!webhook) throw webhookNotFound(webhookId);
  return webhook;
};

/** Newest first. @throws INVALID_PARAMETER_VALUE (max_results outside 1..1000, damaged page token) */
export const listWebhooks = async (deps: WebhookDeps, maxResults = 100, pageToken?: string): Promise<WebhookPage> => {
  if (!Number.isInteger(maxResults) || maxResults < 1 || maxResults > 1000) throw invalidWebhookMaxResults();
  return deps.webhooks.list(maxResults, pageToken || undefined);
};

/** Fields that are absent or empty are left unchanged, as in MLflow (`name or None`…). */
export type UpdateWebhookInput = Partial<CreateWebhookInput>;

/** @throws RESOURCE_DOES_NOT_EXIST, INVALID_PARAMETER_VALUE */
export const updateWebhook = async (deps: WebhookDeps, webhookId: string, input: UpdateWebhookInput): Promise<Webhook> => {
  const events = input.events && input.events.length > 0 ? input.events : undefined;
  if (events) validateEventCombinations(events);
  await getWebhook(deps, webhookId);
  if (input.name) validateWebhookName(input.name);
  if (input.url) await validateTarget(deps, input.url);
  const changes: WebhookChanges = {
    ...(input.name ? { name: input.name } : {}),
    ...(input.description ? { description: input.description } : {}),
    ...(input.url ? { url: input.url } : {}),
    ...(events ? { events } : {}),
    ...(input.secret ? { encryptedSecret: deps.secretBox.encrypt(input.secret, webhookId) } : {}),
    ...(input.status ? { status: input.status } : {}),
  };
  const updated = await deps.webhooks.update(webhookId, changes, deps.now());
  if (!updated) throw webhookNotFound(webhookId);
  return updated;
};

/** Soft delete. @throws RESOURCE_DOES_NOT_EXIST */
export const deleteWebhook = async (deps: WebhookDeps, webhookId: string): Promise<void> => {
  if (!(await deps.webhooks.delete(webhookId, deps.now()))) throw webhookNotFound(webhookId);
};

/** MLflow's `WebhookTestResult`. */
export interface WebhookTestResult {
  success: boolean;
  responseStatus?: number;
  responseBody?: string;
  errorMessage?: string;
}

/**
 * Sends MLflow's example payload for `event` (default: the webhook's first event) once, signed like any
 * delivery, and reports what came back. Disabled webhooks can be tested, as in MLflow.
 * @throws RESOURCE_DOES_NOT_EXIST, INVALID_PARAMETER_VALUE (an invalid entity/action pair)
 */
export const testWebhook = async (deps: WebhookDeps, webhookId: string, event?: WebhookEvent): Promise<WebhookTestResult> => {
  if (event) validateEventCombinations([event]);
  const webhook = await getWebhook(deps, webhookId);
  const testEvent = event ?? webhook.events[0];
  if (!testEvent) return { success: false, errorMessage: 'Failed to test webhook: the webhook has no events' };
  const result = await deps.deliver(
    webhook,
    { event: testEvent, data: examplePayload(testEvent), timestampMs: deps.now(), deliveryId: randomUUID() },
    { maxAttempts: 1 },
  );
  if (result.statusCode === undefined) {
    return { success: false, errorMessage: `Failed to test webhook: ${result.error ?? 'no response'}` };
  }
  return { success: result.outcome === 'success', responseStatus: result.statusCode, responseBody: result.responseBody ?? '' };
};

/**
 * The URL's form, as MLflow checks it; then (unless private targets are allowed) a host that resolves now must
 * resolve only to public addresses. A host that does not resolve now (no DNS here, a name not yet published) is
 * accepted as MLflow accepts it: the guard that protects is the delivery's, on the address actually connected to
 * (address-guard.ts `lookup`), which DNS rebinding cannot get past either.
 */
const validateTarget = async (deps: WebhookDeps, url: string): Promise<void> => {
  const guard = deps.addressGuard;
  const hostname = validateWebhookUrl(url, allowedSchemes(guard.allowPrivateTargets));
  if (guard.allowPrivateTargets) return;
  try {
    await guard.resolveAllowed(hostname);
  } catch (error) {
    if (error instanceof WebhookTargetRefused) throw webhookUrlNotPublic(hostname, error.address);
  }
};
