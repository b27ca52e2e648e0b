import { loadSettings } from '../../shared/config/env.js';
import { createDynamoClient } from '../../shared/data/dynamo-client.js';
import { createTokenRepository } from '../../shared/data/tokens/repository.js';
import { createUserRepository } from '../../shared/data/users/repository.js';
import { createCredentialVerifier, type CredentialVerifier } from '../../shared/domain/auth/credentials.js';
import { createTokenService } from '../../shared/domain/auth/tokens.js';

/**
 * The authorizer's credential verifier on the table named in the environment: users (one GetItem per request)
 * and tokens (one GetItem, and a `lastUsedAt` UpdateItem at most once a minute). Nothing else of the table is
 * read, which is all the authorizer's role may do (infra/constructs/grants.ts, grantAuthorizerReads).
 */
export const createVerifierFromEnv = (
  env: NodeJS.ProcessEnv = process.env,
  options: { logError?: (error: unknown) => void } = {},
): CredentialVerifier => {
  const settings = loadSettings(env);
  const db = { client: createDynamoClient({ endpoint: settings.dynamoEndpoint }), tableName: settings.tableName };
  const tokens = createTokenService(createTokenRepository(db), options);
  return createCredentialVerifier(createUserRepository(db), tokens);
};
