import { z } from 'zod';
import type { Grant, ResourceRef, Subject } from '../../domain/auth/entities.js';
import { isPermission, PERMISSIONS, type Permission } from '../../domain/auth/permissions.js';
import { entityHeader, parseItem, StringMapSchema, stamp } from '../codec.js';
import type { Item } from '../dynamo-ops.js';
import { grantKey, grantMapKey, grantsOnKey, membershipKey, resourceOfGrantMapKey } from './keys.js';

const GRANT = 'grant';
const MEMBERSHIP = 'group-membership';

/** The subject and resource travel as plain attributes: a user's id is a number, a group's a string. */
const GrantItemSchema = z.object({
  ...entityHeader(GRANT),
  subjectKind: z.enum(['user', 'group']),
  subjectId: z.union([z.number().int(), z.string()]),
  resourceKind: z.enum(['experiment', 'registered_model']),
  resourceId: z.string(),
  permission: z.enum(PERMISSIONS),
});

export const toGrantItem = (grant: Grant): Item => ({
  ...grantKey(grant.subject, grant.resource),
  ...grantsOnKey(grant.resource, grant.subject),
  ...stamp(GRANT),
  subjectKind: grant.subject.kind,
  subjectId: grant.subject.id,
  resourceKind: grant.resource.kind,
  resourceId: grant.resource.id,
  permission: grant.permission,
});

export const fromGrantItem = (item: Item): Grant => {
  const parsed = parseItem(GrantItemSchema, item);
  const subject: Subject =
    parsed.subjectKind === 'user' ? { kind: 'user', id: Number(parsed.subjectId) } : { kind: 'group', id: String(parsed.subjectId) };
  const resource: ResourceRef = { kind: parsed.resourceKind, id: parsed.resourceId };
  return { subject, resource, permission: parsed.permission };
};

const MembershipItemSchema = z.object({ ...entityHeader(MEMBERSHIP), userId: z.number().int(), groupId: z.string() });

/** A user's membership of a group as the user's partition holds it (shared/data/groups writes it). */
export const toMembershipItem = (userId: number, groupId: string): Item => ({
  ...membershipKey(userId, groupId),
  ...stamp(MEMBERSHIP),
  userId,
  groupId,
});

export const fromMembershipItem = (item: Item): { userId: number; groupId: string } => {
  const { userId, groupId } = parseItem(MembershipItemSchema, item);
  return { userId, groupId };
};

/** The attribute of a holder's item (USER#<name>, GROUP#<id>) that keeps its grants. */
export const GRANT_MAP = 'grants';

/**
 * The `grants` map of a holder's item (a user's or a group's): `EXP#<id>` / `RM#<id>` -> permission. Read as a
 * null-prototype record (StringMapSchema), every key checked.
 */
export const GrantMapSchema = StringMapSchema.refine(
  (map) => Object.entries(map).every(([key, value]) => resourceOfGrantMapKey(key) !== undefined && isPermission(value)),
  { message: 'expected a map of resource keys to permissions' },
);

/** The entries of a `grants` map as (resource, permission) pairs. */
export const grantMapEntries = (map: Readonly<Record<string, string>>): { resource: ResourceRef; permission: Permission }[] =>
  Object.entries(map).flatMap(([key, value]) => {
    const resource = resourceOfGrantMapKey(key);
    return resource && isPermission(value) ? [{ resource, permission: value }] : [];
  });

/** A `grants` map holding these grants (a holder's item filled from its per-grant items). */
export const grantMapOf = (grants: readonly Grant[]): Record<string, Permission> => {
  const map = Object.create(null) as Record<string, Permission>;
  for (const grant of grants) map[grantMapKey(grant.resource)] = grant.permission;
  return map;
};

/** The grants a group's item holds, as Grants of the group. */
export const groupGrantsOfItem = (groupId: string, item: Item): Grant[] => {
  const { [GRANT_MAP]: grants } = parseItem(z.object({ [GRANT_MAP]: GrantMapSchema }), item);
  const subject: Subject = { kind: 'group', id: groupId };
  return grantMapEntries(grants).map(({ resource, permission }) => ({ subject, resource, permission }));
};
