import { createHmac, timingSafeEqual } from 'node:crypto';

/** Header names and signature version of mlflow/webhooks/constants.py. */
export const WEBHOOK_HEADERS = {
  signature: 'X-MLflow-Signature',
  timestamp: 'X-MLflow-Timestamp',
  deliveryId: 'X-MLflow-Delivery-Id',
} as const;
export const WEBHOOK_SIGNATURE_VERSION = 'v1';

/**
 * MLflow's webhook signature (mlflow/webhooks/delivery.py `_generate_hmac_signature`):
 * `v1,` + base64 of HMAC-SHA256(secret, `<delivery id>.<unix seconds>.<body>`), all UTF-8.
 *
 * @example
 * signPayload('s3cret', '0b7c…', '1767225600', '{"entity": "model_version", …}') // 'v1,3q2+7w…='
 */
export const signPayload = (secret: string, deliveryId: string, timestamp: string, payload: string): string => {
  const digest = createHmac('sha256', Buffer.from(secret, 'utf8'))
    .update(Buffer.from(`${deliveryId}.${timestamp}.${payload}`, 'utf8'))
    .digest('base64');
  return `${WEBHOOK_SIGNATURE_VERSION},${digest}`;
};

/**
 * What a receiver does: recompute the signature over the raw body and compare in constant time. Several
 * space-separated signatures are accepted (Standard Webhooks' rotation form).
 */
export const verifySignature = (
  secret: string,
  deliveryId: string,
  timestamp: string,
  payload: string,
  header: string | undefined,
): boolean => {
  if (!header) return false;
  const expected = Buffer.from(signPayload(secret, deliveryId, timestamp, payload));
  return header.split(' ').some((candidate) => {
    const given = Buffer.from(candidate);
    return given.length === expected.length && timingSafeEqual(given, expected);
  });
};
