import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { createAuditLog } from '../data/audit/repository.js';
import type { DbContext } from '../data/db-context.js';
import { createGrantRepository } from '../data/grants/repository.js';
import { createGroupRepository } from '../data/groups/repository.js';
import { createPrincipalRepository } from '../data/principals/repository.js';
import { createUserRepository } from '../data/users/repository.js';
import type { AuthPorts, AuthSettings } from '../domain/auth/ports.js';

/** Wires authorization's stores to the one table. Called once per process, like createTrackingDeps. */
export const createAuthPorts = (
  table: { readonly client: DynamoDBClient; readonly tableName: string },
  settings: AuthSettings,
  now: () => number = Date.now,
  /** Where a failed audit write goes (it never fails the request it describes). */
  logError?: (error: unknown) => void,
): AuthPorts => {
  const db: DbContext = { client: table.client, tableName: table.tableName };
  return {
    users: createUserRepository(db),
    grants: createGrantRepository(db),
    groups: createGroupRepository(db),
    principals: createPrincipalRepository(db),
    audit: createAuditLog(db, { retentionDays: settings.auditRetentionDays, now, ...(logError ? { logError } : {}) }),
    settings,
    now,
  };
};
