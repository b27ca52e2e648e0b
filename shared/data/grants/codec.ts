import { z } from 'zod';
import type { Grant, ResourceRef, Subject } from '../../domain/auth/entities.js';
import { PERMISSIONS } from '../../domain/auth/permissions.js';
import { entityHeader, parseItem, stamp } from '../codec.js';
import type { Item } from '../dynamo-ops.js';
import { grantKey, grantsOnKey, membershipKey } from './keys.js';

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
