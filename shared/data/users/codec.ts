import { z } from 'zod';
import type { User } from '../../domain/auth/entities.js';
import { entityHeader, parseItem, stamp } from '../codec.js';
import type { Item } from '../dynamo-ops.js';
import { userKey, userListingKey } from './keys.js';

const ENTITY = 'user';

const SecretHashSchema = z.object({
  kdf: z.literal('scrypt'),
  N: z.number().int().positive(),
  r: z.number().int().positive(),
  p: z.number().int().positive(),
  salt: z.string(),
  hash: z.string(),
});

const UserItemSchema = z.object({
  ...entityHeader(ENTITY),
  userId: z.number().int().positive(),
  username: z.string(),
  isAdmin: z.boolean(),
  passwordHash: SecretHashSchema,
  credentialVersion: z.number().int(),
  createdAt: z.number(),
});

export const toUserItem = (user: User): Item => ({
  ...userKey(user.username),
  ...userListingKey(user.username),
  ...stamp(ENTITY),
  ...user,
});

export const fromUserItem = (item: Item): User => {
  const { _et, _v, ...user } = parseItem(UserItemSchema, item);
  return user;
};
