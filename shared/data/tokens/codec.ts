import { z } from 'zod';
import type { StoredToken } from '../../domain/auth/tokens.js';
import { entityHeader, parseItem, SecretHashSchema, stamp } from '../codec.js';
import type { Item } from '../dynamo-ops.js';
import { tokenKey, tokenListingKey } from './keys.js';

const ENTITY = 'api-token';


const TokenItemSchema = z.object({
  ...entityHeader(ENTITY),
  tokenId: z.string(),
  name: z.string(),
  createdAt: z.number(),
  lastUsedAt: z.number().optional(),
  revokedAt: z.number().optional(),
  /** Removed on revocation: nothing of a revoked token's secret is kept. */
  secretHash: SecretHashSchema.optional(),
});

export const toTokenItem = (token: StoredToken): Item => ({
  ...tokenKey(token.tokenId),
  ...tokenListingKey(token.createdAt, token.tokenId),
  ...stamp(ENTITY),
  ...token,
});

export const fromTokenItem = (item: Item): StoredToken => {
  const { _et, _v, ...token } = parseItem(TokenItemSchema, item);
  return token;
};
