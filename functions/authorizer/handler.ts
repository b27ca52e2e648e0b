import { createTokensFromEnv } from '../../shared/config/tokens.js';
import { createAuthorizer } from './authorizer.js';
import { createLogger, errorLogger } from '../../shared/observability/logger.js';

const logger = createLogger('cairn-authorizer');

/** API Gateway REST API Lambda REQUEST authorizer (identity source: the Authorization header). */
export const handler = createAuthorizer(createTokensFromEnv(process.env, { logError: errorLogger(logger, 'token use not recorded') }), {
  onRefused: (refusal) => logger.warn('request refused', { ...refusal }),
});
