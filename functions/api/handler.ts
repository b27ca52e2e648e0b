import { createLogger, errorLogger } from '../../shared/observability/logger.js';
import { withRequestMetrics } from '../../shared/observability/metrics.js';
import { powertoolsAuditSink } from './audit-logger.js';
import { createLambdaHandler } from './lambda-handler.js';

const logger = createLogger('cairn-api');

/** API Gateway REST (v1) or HTTP (v2) events; `/iam/...` (the SigV4 tree) is served as `/...`. */
export const handler = withRequestMetrics(
  await createLambdaHandler(process.env, errorLogger(logger, 'unexpected error'), {
    auditSink: powertoolsAuditSink(logger),
    onGatewayRefused: (refusal) => logger.warn('gateway caller refused', { ...refusal }),
  }),
);
