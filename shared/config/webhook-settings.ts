import { ENV } from './env.js';

/** Webhook settings' variable names, defined with the others in shared/config/env.ts. */
export const WEBHOOK_ENV = {
  secretKey: ENV.webhookSecretKey,
  allowPrivateTargets: ENV.webhookAllowPrivateTargets,
  dispatchLagMs: ENV.webhookDispatchLagMs,
} as const;

export interface WebhookSettings {
  secretKey?: Buffer;
  allowPrivateTargets: boolean;
  dispatchLagMs: number;
}

/** Reads and checks the webhook settings; a wrong value stops start-up with the variable's name. */
export const loadWebhookSettings = (env: NodeJS.ProcessEnv = process.env): WebhookSettings => {
  const rawKey = env[WEBHOOK_ENV.secretKey];
  const secretKey = rawKey ? Buffer.from(rawKey, 'base64') : undefined;
  if (secretKey && secretKey.length !== 32) {
    throw new Error(`invalid setting ${WEBHOOK_ENV.secretKey}: must be base64 of 32 bytes, got ${secretKey.length} bytes`);
  }
  const allow = (env[WEBHOOK_ENV.allowPrivateTargets] ?? '').toLowerCase();
  if (!['', 'true', 'false', '1', '0'].includes(allow)) {
    throw new Error(`invalid setting ${WEBHOOK_ENV.allowPrivateTargets}: must be true or false`);
  }
  const lag = env[WEBHOOK_ENV.dispatchLagMs];
  const dispatchLagMs = lag === undefined || lag === '' ? 5000 : Number(lag);
  if (!Number.isInteger(dispatchLagMs) || dispatchLagMs < 0) {
    throw new Error(`invalid setting ${WEBHOOK_ENV.dispatchLagMs}: must be a whole number of milliseconds`);
  }
  return { ...(secretKey ? { secretKey } : {}), allowPrivateTargets: allow === 'true' || allow === '1', dispatchLagMs };
};
