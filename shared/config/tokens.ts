import { createDynamoClient } from '../data/dynamo-client.js';
import { createTokenRepository } from '../data/tokens/repository.js';
import { createTokenService, type TokenService } from '../domain/auth/tokens.js';
import { loadSettings } from './env.js';

/**
 * The token service on the table named by CAIRN_TABLE_NAME (with CAIRN_DYNAMODB_ENDPOINT for a local engine;
 * without it, AWS with the default credential chain), for `npm run tokens` and tests. The authorizer Lambda builds
 * its credential verifier on users and tokens in functions/authorizer/from-env.ts.
 */
export const createTokensFromEnv = (
  env: NodeJS.ProcessEnv = process.env,
  options: { logError?: (error: unknown) => void } = {},
): TokenService => {
  const settings = loadSettings(env);
  const client = createDynamoClient({ endpoint: settings.dynamoEndpoint });
  return createTokenService(createTokenRepository({ client, tableName: settings.tableName }), options);
};
