import { createAuthorizer } from './authorizer.js';
import { createVerifierFromEnv } from './from-env.js';
import { createLogger, errorLogger } from '../../shared/observability/logger.js';

const logger = createLogger('cairn-authorizer');

/**
 * API Gateway REST API Lambda REQUEST authorizer (identity source: the Authorization header). The verifier lives
 * as long as the execution environment, so a password's scrypt check is remembered across requests.
 */
export const handler = createAuthorizer(createVerifierFromEnv(process.env, { logError: errorLogger(logger, 'token use not recorded') }), {
  onRefused: (refusal) => logger.warn('request refused', { ...refusal }),
});
