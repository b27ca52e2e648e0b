import type { AuthSettings } from '../domain/auth/ports.js';
import { PERMISSIONS, type Permission } from '../domain/auth/permissions.js';
import { ENV } from './env.js';

/** The first admin: created at start-up when no user of that name exists (shared/domain/auth/bootstrap.ts). */
export interface AdminCredentials {
  readonly username: string;
  readonly password: string;
}

export const DEFAULT_AUDIT_RETENTION_DAYS = 90;
/** Ten years: anything longer is a typo. */
const MAX_AUDIT_RETENTION_DAYS = 3653;

const permission = (env: NodeJS.ProcessEnv, name: string): Permission => {
  const raw = (env[name] ?? '').trim();
  if (raw === '') return 'NO_PERMISSIONS';
  const value = raw.toUpperCase();
  if ((PERMISSIONS as readonly string[]).includes(value)) return value as Permission;
  throw new Error(`invalid setting ${name}: use one of ${PERMISSIONS.join(', ')}`);
};

/**
 * Authorization's settings from the environment (the stack sets them from its props; `npm start` from its
 * flags). Both permissions are NO_PERMISSIONS unless set: a new deployment shows nobody anything they were
 * not granted. A wrong value stops start-up with the variable's name.
 */
export const loadAuthSettings = (env: NodeJS.ProcessEnv = process.env): AuthSettings => {
  const rawDays = (env[ENV.auditRetentionDays] ?? '').trim();
  const auditRetentionDays = rawDays === '' ? DEFAULT_AUDIT_RETENTION_DAYS : Number(rawDays);
  if (!Number.isInteger(auditRetentionDays) || auditRetentionDays < 1 || auditRetentionDays > MAX_AUDIT_RETENTION_DAYS) {
    throw new Error(`invalid setting ${ENV.auditRetentionDays}: a whole number of days from 1 to ${MAX_AUDIT_RETENTION_DAYS}`);
  }
  return {
    defaultPermission: permission(env, ENV.defaultPermission),
    unmappedPrincipalPermission: permission(env, ENV.unmappedPrincipalPermission),
    auditRetentionDays,
  };
};

/**
 * The first admin named in the environment (in AWS, filled in from the admin secret by withSecrets): username
 * (default `admin`) and password; undefined when no password is given (`npm start --auth` then generates one).
 */
export const loadAdminCredentials = (env: NodeJS.ProcessEnv = process.env): AdminCredentials | undefined => {
  const password = env[ENV.adminPassword];
  if (password === undefined || password === '') return undefined;
  return { username: env[ENV.adminUsername] || 'admin', password };
};
