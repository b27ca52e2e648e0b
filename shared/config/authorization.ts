import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { createTokenRepository } from '../data/tokens/repository.js';
import { createCredentialVerifier, type CredentialVerifier } from '../domain/auth/credentials.js';
import type { AuditLog, AuthPorts, AuthSettings } from '../domain/auth/ports.js';
import { createAuthPorts } from './auth.js';
import { createTokenService, type TokenService } from '../domain/auth/tokens.js';

export interface AuthorizationOptions {
  readonly client: DynamoDBClient;
  readonly tableName: string;
  readonly settings: AuthSettings;
  readonly now?: () => number;
  /** Where audit entries also go (Powertools in AWS), besides the table. */
  readonly auditAlso?: (log: AuditLog) => AuditLog;
  readonly logError?: (error: unknown) => void;
}

export interface Authorization {
  readonly ports: AuthPorts;
  readonly tokens: TokenService;
  /** Passwords and tokens checked against the table, a password's scrypt check remembered briefly. */
  readonly verifier: CredentialVerifier;
}

/** Authorization's stores (auth.ts), the tokens and the credential verifier on the one table. Built once per process. */
export const createAuthorization = (options: AuthorizationOptions): Authorization => {
  const db = { client: options.client, tableName: options.tableName };
  const stores = createAuthPorts(db, options.settings, options.now, options.logError);
  const ports: AuthPorts = options.auditAlso ? { ...stores, audit: options.auditAlso(stores.audit) } : stores;
  const tokens = createTokenService(createTokenRepository(db), options.logError ? { logError: options.logError } : {});
  return { ports, tokens, verifier: createCredentialVerifier(ports.users, tokens) };
};
