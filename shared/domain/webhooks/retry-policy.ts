/**
 * When to retry a webhook POST and how long to wait, as MLflow's delivery session does
 * (mlflow/webhooks/delivery.py: urllib3 `Retry` with backoff factor 1 s, cap 60 s, `Retry-After` honoured).
 */
export interface RetryPolicy {
  /** Attempts in all, the first included. */
  readonly maxAttempts: number;
  /** Wait before the second attempt. */
  readonly baseDelayMs: number;
  /** Each later wait is this many times the previous one. */
  readonly factor: number;
  /** No wait is longer, `Retry-After` included (a receiver cannot park the dispatcher for hours). */
  readonly maxDelayMs: number;
  /** Up to this much random time is added to a backoff wait, so retries of many deliveries spread out. */
  readonly jitterMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  maxAttempts: 5,
  baseDelayMs: 1000,
  factor: 2,
  maxDelayMs: 60_000,
  jitterMs: 250,
};

/** 408, 429 and 5xx are worth another try; other statuses are final (2xx success, the rest failure). */
export const isRetryableStatus = (status: number): boolean => status === 408 || status === 429 || status >= 500;

const RETRY_AFTER_STATUSES = new Set([429, 503]);

/**
 * `Retry-After` in milliseconds from now: delta-seconds (`120`) or an HTTP date; undefined when absent or
 * unreadable. A date in the past means "now".
 */
export const parseRetryAfter = (header: string | undefined, nowMs: number): number | undefined => {
  const value = header?.trim();
  if (!value) return undefined;
  if (/^\d+$/.test(value)) return Number(value) * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - nowMs);
};

/**
 * The wait after failed attempt number `attempt` (1-based): the receiver's `Retry-After` on 429 and 503 when
 * it gave one, else `baseDelayMs * factor^(attempt-1)` plus jitter; never more than `maxDelayMs`.
 */
export const retryDelayMs = (
  policy: RetryPolicy,
  attempt: number,
  response: { status?: number; retryAfterHeader?: string },
  nowMs: number,
  random: () => number,
): number => {
  if (response.status !== undefined && RETRY_AFTER_STATUSES.has(response.status)) {
    const retryAfter = parseRetryAfter(response.retryAfterHeader, nowMs);
    if (retryAfter !== undefined) return Math.min(retryAfter, policy.maxDelayMs);
  }
  const backoff = policy.baseDelayMs * policy.factor ** (attempt - 1);
  return Math.min(backoff + random() * policy.jitterMs, policy.maxDelayMs);
};
