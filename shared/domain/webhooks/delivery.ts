import { WebhookTargetRefused } from './address-guard.js';
import { payloadBody } from './payloads.js';
import type { AttemptRecord, DeliverFn, DeliveryResult, HttpPost, HttpResponse } from './ports.js';
import type { SecretBox } from './secret-box.js';
import { signPayload, WEBHOOK_HEADERS } from './signing.js';
import { CAIRN_MLFLOW_VERSION } from '../kernel/mlflow-version.js';
import { DEFAULT_RETRY_POLICY, isRetryableStatus, retryDelayMs, type RetryPolicy } from './retry-policy.js';

export interface WebhookDeliveryOptions {
  readonly post: HttpPost;
  readonly secretBox: SecretBox;
  readonly policy?: Partial<RetryPolicy>;
  /** Per attempt, connection and response included; MLflow's default is 30 s, ours 10 s. */
  readonly timeoutMs?: number;
  readonly now?: () => number;
  readonly sleep?: (ms: number) => Promise<void>;
  readonly random?: () => number;
}

const USER_AGENT = `cairn-webhooks (MLflow ${CAIRN_MLFLOW_VERSION} compatible)`;

type AttemptOutcome =
  | { kind: 'response'; response: HttpResponse }
  | { kind: 'error'; error: string; retryable: boolean };

/**
 * Delivers one message to one webhook, MLflow's way: POST of the JSON payload with `X-MLflow-Delivery-Id`,
 * `X-MLflow-Timestamp` and, with a secret, `X-MLflow-Signature`; 2xx is success; 408, 429, 5xx and network
 * errors are retried with exponential backoff (honouring `Retry-After` on 429 and 503); any other status, a
 * refused target or a secret that cannot be decrypted is final. Each attempt is re-signed with its own
 * timestamp (receivers reject stale timestamps), under the same delivery id. Every attempt's outcome is
 * returned for the delivery record.
 */
export const createWebhookDelivery = (options: WebhookDeliveryOptions): DeliverFn => {
  const policy: RetryPolicy = { ...DEFAULT_RETRY_POLICY, ...options.policy };
  const timeoutMs = options.timeoutMs ?? 10_000;
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const random = options.random ?? Math.random;

  return async (webhook, message, deliverOptions = {}) => {
    const maxAttempts = Math.max(1, deliverOptions.maxAttempts ?? policy.maxAttempts);
    const startedAt = now();
    const attempts: AttemptRecord[] = [];
    const finish = (result: Omit<DeliveryResult, 'deliveryId' | 'attempts' | 'startedAt' | 'durationMs'>): DeliveryResult => ({
      deliveryId: message.deliveryId,
      ...result,
      attempts,
      startedAt,
      durationMs: now() - startedAt,
    });

    let secret: string | undefined;
    try {
      secret = webhook.encryptedSecret ? options.secretBox.decrypt(webhook.encryptedSecret, webhook.webhookId) : undefined;
    } catch (error) {
      return finish({ outcome: 'failed', error: error instanceof Error ? error.message : String(error) });
    }
    const body = payloadBody(message.event, message.data, message.timestampMs);

    for (let attempt = 1; ; attempt++) {
      const attemptStart = now();
      const unixSeconds = String(Math.floor(attemptStart / 1000));
      const headers: Record<string, string> = {
        'Content-Type': 'application/json',
        'User-Agent': USER_AGENT,
        [WEBHOOK_HEADERS.deliveryId]: message.deliveryId,
        [WEBHOOK_HEADERS.timestamp]: unixSeconds,
        ...(secret !== undefined ? { [WEBHOOK_HEADERS.signature]: signPayload(secret, message.deliveryId, unixSeconds, body) } : {}),
      };
      const outcome = await options.post(webhook.url, body, headers, timeoutMs).then(
        (response): AttemptOutcome => ({ kind: 'response', response }),
        (error: unknown): AttemptOutcome => ({
          kind: 'error',
          error: error instanceof Error ? error.message : String(error),
          retryable: !(error instanceof WebhookTargetRefused),
        }),
      );
      const durationMs = now() - attemptStart;
      const status = outcome.kind === 'response' ? outcome.response.status : undefined;
      const retryable = outcome.kind === 'response' ? isRetryableStatus(outcome.response.status) : outcome.retryable;
      const last = !retryable || attempt >= maxAttempts || (status !== undefined && status >= 200 && status < 300);
      const retryAfterHeader = outcome.kind === 'response' ? headerValue(outcome.response.headers['retry-after']) : undefined;
      const retryInMs = last ? undefined : retryDelayMs(policy, attempt, { status, retryAfterHeader }, now(), random);
      attempts.push({
        attempt,
        startedAt: attemptStart,
        durationMs,
        ...(status !== undefined ? { statusCode: status } : {}),
        ...(outcome.kind === 'error' ? { error: outcome.error } : {}),
        ...(retryInMs !== undefined ? { retryInMs } : {}),
      });
      if (retryInMs === undefined) {
        if (outcome.kind === 'error') return finish({ outcome: 'failed', error: outcome.error });
        const { response } = outcome;
        const success = response.status >= 200 && response.status < 300;
        return finish({
          outcome: success ? 'success' : 'failed',
          statusCode: response.status,
          responseBody: response.body,
          ...(success ? {} : { error: `HTTP ${response.status}${retryable ? ` after ${attempt} attempts` : ''}` }),
        });
      }
      await sleep(retryInMs);
    }
  };
};

const headerValue = (value: string | string[] | undefined): string | undefined => (Array.isArray(value) ? value[0] : value);
