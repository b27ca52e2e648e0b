import { createLogger, errorLogger } from '../../shared/observability/logger.js';
import { withRequestMetrics } from '../../shared/observability/metrics.js';
import { createLambdaHandler } from './lambda-handler.js';

/** API Gateway REST (v1) or HTTP (v2) events; `/iam/...` (the SigV4 tree) is served as `/...`. */
export const handler = withRequestMetrics(
  await createLambdaHandler(process.env, errorLogger(createLogger('cairn-api'), 'unexpected error')),
);
