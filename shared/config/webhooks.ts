import { randomUUID } from 'node:crypto';
import type { DbContext } from '../data/db-context.js';
import { createRegistryEventLog } from '../data/registry-events/repository.js';
import { createWebhookDeliveryLog } from '../data/webhooks/delivery-log.js';
import { createWebhookRepository } from '../data/webhooks/webhook-repository.js';
import type { RegistryEventLog } from '../domain/registry/ports.js';
import { type AddressGuard, createAddressGuard, type Resolver } from '../domain/webhooks/address-guard.js';
import type { HttpPost, WebhookDeliveryLog, WebhookDeps } from '../domain/webhooks/ports.js';
import { createSecretBox } from '../domain/webhooks/secret-box.js';
import { createWebhookDelivery } from '../domain/webhooks/delivery.js';
import { createWebhookDispatcher, type WebhookDispatcher } from '../domain/webhooks/dispatcher.js';
import type { RetryPolicy } from '../domain/webhooks/retry-policy.js';

export interface CreateWebhooksOptions {
  readonly db: DbContext;
  /** 32 bytes: the key of stored secrets (shared/local/webhook-key.ts locally, CAIRN_WEBHOOK_SECRET_KEY in AWS). */
  readonly secretKey: Uint8Array;
  /** The POST adapter the root picks (functions/webhooks/http-post.ts), connecting only through the guard. */
  readonly httpPost: (guard: AddressGuard) => HttpPost;
  /** Local mode and tests: allow loopback/private/link-local targets and plain http. Default false. */
  readonly allowPrivateTargets?: boolean;
  readonly now?: () => number;
  readonly retry?: Partial<RetryPolicy>;
  readonly timeoutMs?: number;
  /** Dispatcher look-back window (default 5 s) and events per query (default 100). */
  readonly lagMs?: number;
  readonly batch?: number;
  readonly logError?: (error: unknown) => void;
  /** Overrides for tests. */
  readonly eventLog?: RegistryEventLog;
  readonly resolve?: Resolver;
  readonly sleep?: (ms: number) => Promise<void>;
}

export interface Webhooks {
  /** For `webhookRoutes(deps)` (functions/api/routes/webhooks.ts). */
  readonly deps: WebhookDeps;
  /** `start(intervalMs)` in `npm start`, `stop()` before the engine stops; `runOnce()` from a scheduled Lambda. */
  readonly dispatcher: WebhookDispatcher;
  readonly deliveries: WebhookDeliveryLog;
}

/** Wires webhooks to one table: the API's dependencies and the dispatcher. Called once per process. */
export const createWebhooks = (options: CreateWebhooksOptions): Webhooks => {
  const now = options.now ?? Date.now;
  const secretBox = createSecretBox(options.secretKey);
  const addressGuard = createAddressGuard({
    allowPrivateTargets: options.allowPrivateTargets ?? false,
    ...(options.resolve ? { resolve: options.resolve } : {}),
  });
  const deliver = createWebhookDelivery({
    post: options.httpPost(addressGuard),
    secretBox,
    now,
    ...(options.retry ? { policy: options.retry } : {}),
    ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
    ...(options.sleep ? { sleep: options.sleep } : {}),
  });
  const webhooks = createWebhookRepository(options.db);
  const deliveries = createWebhookDeliveryLog(options.db, now);
  const dispatcher = createWebhookDispatcher({
    eventLog: options.eventLog ?? createRegistryEventLog(options.db),
    webhooks,
    deliveries,
    deliver,
    ...(options.lagMs !== undefined ? { lagMs: options.lagMs } : {}),
    ...(options.batch !== undefined ? { batch: options.batch } : {}),
    ...(options.logError ? { logError: options.logError } : {}),
  });
  return {
    deps: { webhooks, secretBox, addressGuard, deliver, now, newId: randomUUID },
    dispatcher,
    deliveries,
  };
};
