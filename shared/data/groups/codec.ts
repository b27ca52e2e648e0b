import { z } from 'zod';
import type { Group } from '../../domain/auth/entities.js';
import { entityHeader, parseItem, stamp } from '../codec.js';
import type { Item } from '../dynamo-ops.js';
import { GRANT_MAP } from '../grants/codec.js';
import { groupKey, groupListingKey, groupMemberKey, groupNameKey } from './keys.js';

const GROUP = 'auth-group';
const GROUP_NAME = 'auth-group-name';
const GROUP_MEMBER = 'auth-group-member';

const GroupItemSchema = z.object({
  ...entityHeader(GROUP),
  groupId: z.string(),
  name: z.string(),
  description: z.string(),
  createdAt: z.number(),
});

export const toGroupItem = (group: Group): Item => ({
  ...groupKey(group.groupId),
  ...groupListingKey(group.name),
  ...stamp(GROUP),
  groupId: group.groupId,
  name: group.name,
  description: group.description,
  createdAt: group.createdAt,
});

/** A new group's item: an empty map of grants, so a grant's entry can be set in it by path (shared/data/grants). */
export const toNewGroupItem = (group: Group): Item => ({ ...toGroupItem(group), [GRANT_MAP]: {} });

export const fromGroupItem = (item: Item): Group => {
  const { groupId, name, description, createdAt } = parseItem(GroupItemSchema, item);
  return { groupId, name, description, createdAt };
};

export const GroupNameGuardSchema = z.object({ ...entityHeader(GROUP_NAME), groupId: z.string() });

export const toGroupNameGuardItem = (name: string, groupId: string): Item => ({
  ...groupNameKey(name),
  ...stamp(GROUP_NAME),
  groupId,
});

const GroupMemberSchema = z.object({ ...entityHeader(GROUP_MEMBER), groupId: z.string(), userId: z.number().int() });

/** A member as the group's partition holds it; the user's partition holds the same fact (grants/codec.ts). */
export const toGroupMemberItem = (groupId: string, userId: number): Item => ({
  ...groupMemberKey(groupId, userId),
  ...stamp(GROUP_MEMBER),
  groupId,
  userId,
});

export const fromGroupMemberItem = (item: Item): { groupId: string; userId: number } => {
  const { groupId, userId } = parseItem(GroupMemberSchema, item);
  return { groupId, userId };
};
