import { createLogger, errorLogger } from '../../shared/observability/logger.js';
import { withSecrets } from '../../shared/config/secrets.js';
import { createDispatcherFromEnv } from './from-env.js';
import { createStreamDispatch } from './lambda-dispatch.js';

const logError = errorLogger(createLogger('cairn-webhooks'), 'webhook dispatch failed');

/** DynamoDB Streams (NEW_IMAGE, ReportBatchItemFailures): delivers webhooks when registry events land. */
export const handler = createStreamDispatch(createDispatcherFromEnv(await withSecrets(process.env), { logError }), { logError });
