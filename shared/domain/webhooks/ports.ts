import type { AddressGuard } from './address-guard.js';
import type { Webhook, WebhookAction, WebhookChanges, WebhookEntity, WebhookEvent } from './entities.js';
import type { SecretBox } from './secret-box.js';

/** What the webhook use cases and the dispatcher need from storage (shared/data/webhooks implements them). */
export interface WebhookPage {
  readonly webhooks: Webhook[];
  readonly nextPageToken?: string;
}

export interface WebhookStore {
  /** @throws RESOURCE_ALREADY_EXISTS if the id is taken (never, with UUIDs). */
  create(webhook: Webhook): Promise<void>;
  /** The webhook, unless missing or deleted. */
  get(webhookId: string): Promise<Webhook | undefined>;
  /** Newest first. @throws INVALID_PARAMETER_VALUE for a damaged page token. */
  list(maxResults: number, pageToken?: string): Promise<WebhookPage>;
  /** Every webhook that is not deleted (the dispatcher filters by status and events). */
  listAll(): Promise<Webhook[]>;
  /** Applies the changes; undefined when the webhook is missing or deleted. */
  update(webhookId: string, changes: WebhookChanges, now: number): Promise<Webhook | undefined>;
  /** Soft delete; false when the webhook is missing or already deleted. */
  delete(webhookId: string, now: number): Promise<boolean>;
}

/** What a webhook's receiver answered (functions/webhooks/http-post.ts sends the POST). */
export interface HttpResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  /** The body as text, cut at the sender's limit. */
  readonly body: string;
}

/** One POST, no retries; rejects on network errors and timeouts. */
export type HttpPost = (url: string, body: string, headers: Record<string, string>, timeoutMs: number) => Promise<HttpResponse>;

/** One POST to a webhook: the event, MLflow's payload `data`, when the change happened, and its delivery id. */
export interface OutgoingMessage {
  readonly event: WebhookEvent;
  readonly data: Record<string, unknown>;
  readonly timestampMs: number;
  /** `X-MLflow-Delivery-Id`; the same for every attempt and redelivery of one event to one webhook. */
  readonly deliveryId: string;
}

export interface AttemptRecord {
  readonly attempt: number;
  readonly startedAt: number;
  readonly durationMs: number;
  readonly statusCode?: number;
  readonly error?: string;
  /** The wait before the next attempt, when there is one. */
  readonly retryInMs?: number;
}

export type DeliveryOutcome = 'success' | 'failed';

export interface DeliveryResult {
  readonly deliveryId: string;
  /** `success` (2xx) or `failed`: a final status, a refused target, or retries exhausted. */
  readonly outcome: DeliveryOutcome;
  readonly statusCode?: number;
  readonly responseBody?: string;
  readonly error?: string;
  readonly attempts: readonly AttemptRecord[];
  readonly startedAt: number;
  readonly durationMs: number;
}

export type DeliverFn = (
  webhook: Pick<Webhook, 'webhookId' | 'url' | 'encryptedSecret'>,
  message: OutgoingMessage,
  options?: { maxAttempts?: number },
) => Promise<DeliveryResult>;

/** A stored outcome of one delivery (one event to one webhook, with all its attempts). */
export interface DeliveryRecord {
  readonly webhookId: string;
  readonly deliveryId: string;
  readonly eventId: string;
  readonly entity: WebhookEntity;
  readonly action: WebhookAction;
  readonly outcome: DeliveryOutcome;
  readonly statusCode?: number;
  readonly error?: string;
  readonly attempts: readonly AttemptRecord[];
  readonly startedAt: number;
  readonly durationMs: number;
}

/** "This event reached a final outcome at this webhook": written once, read before every (re)delivery. */
export interface DeliveryMarker {
  readonly webhookId: string;
  readonly eventId: string;
  readonly deliveryId: string;
  readonly outcome: DeliveryOutcome;
  readonly statusCode?: number;
  readonly completedAt: number;
}

export interface WebhookDeliveryLog {
  record(record: DeliveryRecord): Promise<void>;
  /** A webhook's deliveries, newest first. */
  listRecords(webhookId: string, limit?: number): Promise<DeliveryRecord[]>;
  getMarker(webhookId: string, eventId: string): Promise<DeliveryMarker | undefined>;
  /** Conditional put; false when a marker was already there. */
  putMarker(marker: DeliveryMarker): Promise<boolean>;
  /** The log position the dispatcher has finished, if any. */
  getCursor(): Promise<string | undefined>;
  /** Moves the cursor from `from` (undefined: no cursor yet) to `to`; false when someone else moved it first. */
  moveCursor(from: string | undefined, to: string): Promise<boolean>;
}

/** What the webhook API needs. Built once per process (shared/config/webhooks.ts). */
export interface WebhookDeps {
  readonly webhooks: WebhookStore;
  readonly secretBox: SecretBox;
  /** Also says whether private targets (and plain http) are allowed. */
  readonly addressGuard: AddressGuard;
  /** Sends one message; the test endpoint calls it with `maxAttempts: 1`. */
  readonly deliver: DeliverFn;
  readonly now: () => number;
  readonly newId: () => string;
}
