import { invalidParameter } from '../../errors/index.js';

/**
 * MLflow 3.6's permission levels (mlflow/server/auth/permissions.py). A grant holds one of them; a route needs
 * READ, EDIT or MANAGE. NO_PERMISSIONS denies everything, reads included. MLflow's later USE level exists
 * only for resources Cairn does not serve (AI gateway endpoints), and 3.6 refuses it as a grant, so Cairn does too.
 */
export const PERMISSIONS = ['READ', 'EDIT', 'MANAGE', 'NO_PERMISSIONS'] as const;
export type Permission = (typeof PERMISSIONS)[number];
/** What a route needs: never NO_PERMISSIONS. */
export type Level = Exclude<Permission, 'NO_PERMISSIONS'>;

/** READ < EDIT < MANAGE; NO_PERMISSIONS below them all. */
const RANK: Record<Permission, number> = { NO_PERMISSIONS: 0, READ: 1, EDIT: 2, MANAGE: 3 };

export const isPermission = (value: unknown): value is Permission =>
  typeof value === 'string' && (PERMISSIONS as readonly string[]).includes(value);

/** True when a grant of `granted` is enough for a route that needs `needed`. */
export const allows = (granted: Permission, needed: Level): boolean => RANK[granted] >= RANK[needed];

/** The higher of two grants (a user's groups: the most a group gives wins). */
export const higher = (a: Permission, b: Permission): Permission => (RANK[a] >= RANK[b] ? a : b);

/** A permission name from a request, worded as MLflow's `_validate_permission` words a bad one. */
export const parsePermission = (value: string): Permission => {
  if (isPermission(value)) return value;
  throw invalidParameter(`Invalid permission '${value}'. Valid permissions are: (${PERMISSIONS.map((p) => `'${p}'`).join(', ')})`);
};
