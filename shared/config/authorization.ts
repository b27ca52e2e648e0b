import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { createAuditLog } from '../data/audit/repository.js';
import { createGrantRepository } from '../data/grants/repository.js';
import { createGroupRepository } from '../data/groups/repository.js';
import { createPrincipalRepository } from '../data/principals/repository.js';
import { createTokenRepository } from '../data/tokens/repository.js';
import { createUserRepository } from '../data/users/repository.js';
import { createCredentialVerifier, type CredentialVerifier } from '../domain/auth/credentials.js';
import type { AuditLog, AuthPorts, AuthSettings } from '../domain/auth/ports.js';
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

/** Users, grants, groups, principal mappings and the audit log on the one table. Built once per process. */
export const createAuthorization = (options: AuthorizationOptions): Authorization => {
  const db = { client: options.client, tableName: options.tableName };
  const now = options.now ?? Date.now;
  const tableLog = createAuditLog(db, {
    retentionDays: options.settings.auditRetentionDays,
    now,
    ...(options.logError ? { logError: options.logError } : {}),
  });
  const ports: AuthPorts = {
    users: createUserRepository(db),
    grants: createGrantRepository(db),
    groups: createGroupRepository(db),
    principals: createPrincipalRepository(db),
    audit: options.auditAlso ? options.auditAlso(tableLog) : tableLog,
    settings: options.settings,
    now,
  };
  const tokens = createTokenService(createTokenRepository(db), options.logError ? { logError: options.logError } : {});
  return { ports, tokens, verifier: createCredentialVerifier(ports.users, tokens) };
};
