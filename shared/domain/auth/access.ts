import { resourceKey, type Grant, type ResourceRef, type User } from './entities.js';
import { allows, higher, type Level, type Permission } from './permissions.js';
import type { AuthPorts } from './ports.js';

/**
 * What one caller may do, worked out once per request from the caller's user item (read anyway to
 * authenticate, strongly consistent, with the user's grants in it) and, for a user in groups, one batch read of
 * the groups' items: every check of the request, search filters included, is then a lookup in memory.
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
 * otherwise the default permission. Admins pass every check. `own` is keyed by `resourceKey`, as User.grants.
 */
const accessFrom = (
  caller: Extract<Caller, { kind: 'user' }>,
  own: Iterable<readonly [string, Permission]>,
  fromGroups: readonly Grant[],
  defaultPermission: Permission,
): Access => {
  const byResource = new Map<string, Permission>();
  for (const grant of fromGroups) {
    const key = resourceKey(grant.resource);
    const held = byResource.get(key);
    byResource.set(key, held === undefined ? grant.permission : higher(held, grant.permission));
  }
  for (const [key, permission] of own) byResource.set(key, permission);
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

/** The same rules from grants given as a list (the user's own, and the user's groups'). */
export const accessOfUser = (
  caller: Extract<Caller, { kind: 'user' }>,
  own: readonly Grant[],
  fromGroups: readonly Grant[],
  defaultPermission: Permission,
): Access =>
  accessFrom(
    caller,
    own.map((grant) => [resourceKey(grant.resource), grant.permission] as const),
    fromGroups,
    defaultPermission,
  );

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

/**
 * The caller's access. `caller.user` must be the user as read for this request (authentication reads it
 * strongly consistent on every request), never a remembered one: its grants are what is decided on, so a
 * grant revoked before the request is not counted. Only a user in groups costs a read: the groups' items, in
 * one batch.
 */
export const loadAccess = async (ports: Pick<AuthPorts, 'grants' | 'settings'>, caller: Caller): Promise<Access> => {
  if (caller.kind === 'unmapped-principal') return accessOfUnmapped(caller, ports.settings.unmappedPrincipalPermission);
  const { user } = caller;
  if (user.isAdmin) return accessFrom(caller, [], [], ports.settings.defaultPermission);
  const fromGroups = user.groupIds.length === 0 ? [] : await ports.grants.ofGroups(user.groupIds);
  return accessFrom(caller, user.grants, fromGroups, ports.settings.defaultPermission);
};
