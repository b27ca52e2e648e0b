import { randomBytes } from 'node:crypto';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { createAuthorization } from '../../shared/config/authorization.js';
import { ensureFirstAdmin } from '../../shared/domain/auth/bootstrap.js';
import type { Permission } from '../../shared/domain/auth/permissions.js';
import { headerAuthenticator } from '../api/authorization/authenticators.js';
import type { AuthorizationConfig } from '../api/authorization/middleware.js';

export interface LocalAuthOptions {
  /** The permission on a resource without a grant. @default NO_PERMISSIONS */
  defaultPermission?: Permission;
  /** The first admin; its password is generated (and shown once) when not given. */
  adminUsername?: string;
  adminPassword?: string;
  auditRetentionDays?: number;
}

/**
 * `npm start -- --auth`: the same decision table as in AWS, with the app checking Basic and Bearer credentials
 * itself (there is no gateway). The first admin is made when no user holds its name; without a password one is
 * generated, never a well-known one, and handed back to be printed this once.
 */
export const startLocalAuthorization = async (
  db: { client: DynamoDBClient; tableName: string },
  options: LocalAuthOptions,
): Promise<{ config: AuthorizationConfig; admin: { username: string; generatedPassword?: string } }> => {
  const authorization = createAuthorization({
    ...db,
    settings: {
      defaultPermission: options.defaultPermission ?? 'NO_PERMISSIONS',
      // No SigV4 locally: nobody arrives as an IAM principal.
      unmappedPrincipalPermission: 'NO_PERMISSIONS',
      auditRetentionDays: options.auditRetentionDays ?? 90,
    },
    logError: (error) => console.error('cairn: audit entry not written:', error),
  });
  const username = options.adminUsername || 'admin';
  const given = options.adminPassword;
  let generatedPassword: string | undefined;
  if (given) {
    await ensureFirstAdmin(authorization.ports, { username, password: given });
  } else if (!(await authorization.ports.users.get(username))) {
    const password = randomBytes(18).toString('base64url');
    if ((await ensureFirstAdmin(authorization.ports, { username, password })) === 'created') generatedPassword = password;
  }
  return {
    config: { ports: authorization.ports, authenticate: headerAuthenticator(authorization.verifier) },
    admin: { username, ...(generatedPassword ? { generatedPassword } : {}) },
  };
};
