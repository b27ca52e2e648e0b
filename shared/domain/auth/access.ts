import type { Grant, ResourceRef, User } from './entities.js';
import { allows, higher, type Level, type Permission } from './permissions.js';
import type { AuthPorts } from './ports.js';

/**
 * What one caller may do, worked out once per request from one read of the caller's grants (and one per
 * group): every check of the request, search filters included, is then a lookup in memory.
 */

/** Who sent a request, once its credentials held. */
export type Caller =
  | {
      readonly kind: 'user';
      readonly user: User;
      /** How the caller proved it: `basic:<user>`, `token:<tokenId>`, `iam:<principal id>`. */
      readonly principal: string;
    }
  /** A SigV4 caller whose principal no admin mapped to a user: the unmapped-principal default applies. */
  | { readonly kind: 'unmapped-principal'; readonly principal: string; readonly arn: string };

export interface Access {
  readonly caller: Caller | undefined;
  readonly isAdmin: boolean;
  /** The authenticated user's name; undefined with authorization off or for an unmapped principal. */
  readonly username: string | undefined;
  readonly userId: number | undefined;
  permissionOn(resource: ResourceRef): Permission;
  can(resource: ResourceRef, level: Level): boolean;
  canRead(resource: ResourceRef): boolean;
}

const resourceKey = (resource: ResourceRef) => `${resource.kind}#${resource.id}`;

/** Authorization off (the default of `npm start`): everything is allowed, and nobody is named. */
export const UNRESTRICTED: Access = {
  caller: undefined,
  isAdmin: true,
  username: undefined,
  userId: undefined,
  permissionOn: () => 'MANAGE',
  can: () => true,
  canRead: () => true,
};

/**
 * A user's access: a grant of the user's own wins; otherwise the highest any of the user's groups holds;
 * otherwise the default permission. Admins pass every check.
 */
export const accessOfUser = (
  caller: Extract<Caller, { kind: 'user' }>,
  own: readonly Grant[],
  fromGroups: readonly Grant[],
  defaultPermission: Permission,
): Access => {
  const byResource = new Map<string, Permission>();
  for (const grant of fromGroups) {
    const key = resourceKey(grant.resource);
    const held = byResource.get(key);
    byResource.set(key, held === undefined ? grant.permission : higher(held, grant.permission));
  }
  for (const grant of own) byResource.set(resourceKey(grant.resource), grant.permission);
  const isAdmin = caller.user.isAdmin;
  const permissionOn = (resource: ResourceRef): Permission =>
    isAdmin ? 'MANAGE' : (byResource.get(resourceKey(resource)) ?? defaultPermission);
  return {
    caller,
    isAdmin,
    username: caller.user.username,
    userId: caller.user.userId,
    permissionOn,
    can: (resource, level) => isAdmin || allows(permissionOn(resource), level),
    canRead: (resource) => isAdmin || allows(permissionOn(resource), 'READ'),
  };
};

/** A SigV4 principal without a mapping: the same permission on everything, never admin. */
export const accessOfUnmapped = (caller: Extract<Caller, { kind: 'unmapped-principal' }>, permission: Permission): Access => ({
  caller,
  isAdmin: false,
  username: undefined,
  userId: undefined,
  permissionOn: () => permission,
  can: (_, level) => allows(permission, level),
  canRead: () => allows(permission, 'READ'),
});

/** Reads the caller's grants (one query, and one per group the caller belongs to, in parallel). */
export const loadAccess = async (ports: Pick<AuthPorts, 'grants' | 'settings'>, caller: Caller): Promise<Access> => {
  if (caller.kind === 'unmapped-principal') return accessOfUnmapped(caller, ports.settings.unmappedPrincipalPermission);
  if (caller.user.isAdmin) return accessOfUser(caller, [], [], ports.settings.defaultPermission);
  const { grants, groupIds } = await ports.grants.ofUser(caller.user.userId);
  const fromGroups = (await Promise.all(groupIds.map((id) => ports.grants.ofGroup(id)))).flat();
  return accessOfUser(caller, grants, fromGroups, ports.settings.defaultPermission);
};
