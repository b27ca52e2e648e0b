import { z } from 'zod';
import { resourceKey, type NewUser, type User } from '../../domain/auth/entities.js';
import type { Permission } from '../../domain/auth/permissions.js';
import { entityHeader, parseItem, SecretHashSchema, stamp } from '../codec.js';
import type { Item } from '../dynamo-ops.js';
import { GRANT_MAP, grantMapEntries, GrantMapSchema } from '../grants/codec.js';
import { userKey, userListingKey, userNumberKey } from './keys.js';

const ENTITY = 'user';
const USER_NUMBER = 'user-number';

/** The user's groups: a string set on the user's item (shared/data/groups writes it with each membership). */
export const USER_GROUPS = 'groups';


/**
 * `grants` and `groups` are absent from an item written before they were kept there (read as none; the
 * repository fills them from the per-grant items at the first read or write, holders.ts), and `groups` is a
 * string set, which DynamoDB never stores empty: absent when the user is in no group.
 */
const UserItemSchema = z.object({
  ...entityHeader(ENTITY),
  userId: z.number().int().positive(),
  username: z.string(),
  isAdmin: z.boolean(),
  passwordHash: SecretHashSchema,
  credentialVersion: z.number().int(),
  createdAt: z.number(),
  [GRANT_MAP]: GrantMapSchema.optional(),
  [USER_GROUPS]: z.set(z.string()).optional(),
});

/** A new user's item: an empty map of grants, so a grant's entry can be set in it by path. */
export const toNewUserItem = (user: NewUser): Item => ({
  ...userKey(user.username),
  ...userListingKey(user.username),
  ...stamp(ENTITY),
  userId: user.userId,
  username: user.username,
  isAdmin: user.isAdmin,
  passwordHash: user.passwordHash,
  credentialVersion: user.credentialVersion,
  createdAt: user.createdAt,
  [GRANT_MAP]: {},
});

export const fromUserItem = (item: Item): User => {
  const { _et, _v, grants, groups, ...user } = parseItem(UserItemSchema, item);
  const byResource = new Map<string, Permission>(
    grantMapEntries(grants ?? {}).map(({ resource, permission }) => [resourceKey(resource), permission]),
  );
  return { ...user, grants: byResource, groupIds: [...(groups ?? [])].sort() };
};

/** Whether the item keeps the user's grants (else it predates them: holders.ts fills them in). */
export const keepsGrants = (item: Item): boolean => Object.hasOwn(item, GRANT_MAP);

const UserNumberSchema = z.object({ ...entityHeader(USER_NUMBER), username: z.string() });

export const toUserNumberItem = (userId: number, username: string): Item => ({
  ...userNumberKey(userId),
  ...stamp(USER_NUMBER),
  userId,
  username,
});

export const usernameOfNumberItem = (item: Item): string => parseItem(UserNumberSchema, item).username;
