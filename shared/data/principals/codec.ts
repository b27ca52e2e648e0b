import { z } from 'zod';
import type { PrincipalMapping } from '../../domain/auth/entities.js';
import { entityHeader, parseItem, stamp } from '../codec.js';
import type { Item } from '../dynamo-ops.js';
import { principalKey, principalListingKey } from './keys.js';

const ENTITY = 'principal-mapping';

const PrincipalItemSchema = z.object({
  ...entityHeader(ENTITY),
  principalId: z.string(),
  arn: z.string(),
  userId: z.number().int(),
  username: z.string(),
  createdAt: z.number(),
});

export const toPrincipalItem = (mapping: PrincipalMapping): Item => ({
  ...principalKey(mapping.principalId),
  ...principalListingKey(mapping.principalId),
  ...stamp(ENTITY),
  principalId: mapping.principalId,
  arn: mapping.arn,
  userId: mapping.userId,
  username: mapping.username,
  createdAt: mapping.createdAt,
});

export const fromPrincipalItem = (item: Item): PrincipalMapping => {
  const { _et, _v, ...mapping } = parseItem(PrincipalItemSchema, item);
  return mapping;
};
