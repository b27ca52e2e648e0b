import { createLogger, errorLogger } from '../../shared/observability/logger.js';
import { withSecrets } from '../../shared/config/secrets.js';
import { createDispatcherFromEnv } from './from-env.js';
import { createScheduledDispatch } from './lambda-dispatch.js';

const logError = errorLogger(createLogger('cairn-webhooks'), 'webhook dispatch failed');

/** EventBridge schedule: one dispatcher run, the safety net behind the stream trigger. */
export const handler = createScheduledDispatch(createDispatcherFromEnv(await withSecrets(process.env), { logError }));
