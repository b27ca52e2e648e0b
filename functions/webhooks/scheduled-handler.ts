import { createLogger, errorLogger } from '../../shared/observability/logger.js';
import { createDispatcherFromEnv } from '../../shared/webhooks/from-env.js';
import { createScheduledDispatch } from '../../shared/webhooks/lambda-dispatch.js';

const logError = errorLogger(createLogger('cairn-webhooks'), 'webhook dispatch failed');

/** EventBridge schedule: one dispatcher run, the safety net behind the stream trigger. */
export const handler = createScheduledDispatch(createDispatcherFromEnv(process.env, { logError }));
