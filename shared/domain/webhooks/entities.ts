/**
 * Webhooks as MLflow 3.x defines them (mlflow/entities/webhook.py, mlflow/protos/webhooks.proto).
 *
 * On the REST API entities and actions travel as the proto enum names (`MODEL_VERSION`, `CREATED`); in the
 * delivered payload they are the lower-case values of MLflow's Python enums (`model_version`, `created`).
 */

/** `WebhookEntity` of webhooks.proto, in proto number order (REGISTERED_MODEL = 1). */
export const WEBHOOK_ENTITIES = [
  'REGISTERED_MODEL',
  'MODEL_VERSION',
  'MODEL_VERSION_TAG',
  'MODEL_VERSION_ALIAS',
  'PROMPT',
  'PROMPT_VERSION',
  'PROMPT_TAG',
  'PROMPT_VERSION_TAG',
  'PROMPT_ALIAS',
] as const;
export type WebhookEntity = (typeof WEBHOOK_ENTITIES)[number];

/** `WebhookAction` of webhooks.proto, in proto number order (CREATED = 1). */
export const WEBHOOK_ACTIONS = ['CREATED', 'UPDATED', 'DELETED', 'SET'] as const;
export type WebhookAction = (typeof WEBHOOK_ACTIONS)[number];

/** `WebhookStatus` of webhooks.proto (ACTIVE = 1). */
export const WEBHOOK_STATUSES = ['ACTIVE', 'DISABLED'] as const;
export type WebhookStatus = (typeof WEBHOOK_STATUSES)[number];

export interface WebhookEvent {
  readonly entity: WebhookEntity;
  readonly action: WebhookAction;
}

/** MLflow's `VALID_ENTITY_ACTIONS`: the only (entity, action) pairs a webhook can subscribe to. */
export const VALID_ENTITY_ACTIONS: Readonly<Record<WebhookEntity, readonly WebhookAction[]>> = {
  REGISTERED_MODEL: ['CREATED'],
  MODEL_VERSION: ['CREATED'],
  MODEL_VERSION_TAG: ['SET', 'DELETED'],
  MODEL_VERSION_ALIAS: ['CREATED', 'DELETED'],
  PROMPT: ['CREATED'],
  PROMPT_VERSION: ['CREATED'],
  PROMPT_TAG: ['SET', 'DELETED'],
  PROMPT_VERSION_TAG: ['SET', 'DELETED'],
  PROMPT_ALIAS: ['CREATED', 'DELETED'],
};

export interface Webhook {
  /** UUID. */
  readonly webhookId: string;
  readonly name: string;
  readonly description?: string;
  readonly url: string;
  /** Never empty. */
  readonly events: readonly WebhookEvent[];
  readonly status: WebhookStatus;
  /**
   * The signing secret, AES-256-GCM encrypted (see secret-box.ts); absent when the webhook has no secret.
   * The plain secret is only ever held in memory while a payload is signed, and never returned by the API.
   */
  readonly encryptedSecret?: string;
  /** Milliseconds since the epoch. */
  readonly creationTimestamp: number;
  readonly lastUpdatedTimestamp: number;
}

/** The fields an update may change; an absent field is left as it is (MLflow ignores empty values too). */
export interface WebhookChanges {
  readonly name?: string;
  readonly description?: string;
  readonly url?: string;
  readonly events?: readonly WebhookEvent[];
  readonly encryptedSecret?: string;
  readonly status?: WebhookStatus;
}

/** The lower-case wire form of an entity or action in delivered payloads (`MODEL_VERSION` → `model_version`). */
export const payloadName = (value: WebhookEntity | WebhookAction): string => value.toLowerCase();

/** `model_version.created`: MLflow's `str(WebhookEvent)`. */
export const eventName = (event: WebhookEvent): string => `${payloadName(event.entity)}.${payloadName(event.action)}`;

export const isValidCombination = (event: WebhookEvent): boolean =>
  VALID_ENTITY_ACTIONS[event.entity].includes(event.action);

export const isSubscribed = (webhook: Pick<Webhook, 'events'>, event: WebhookEvent): boolean =>
  webhook.events.some((e) => e.entity === event.entity && e.action === event.action);
