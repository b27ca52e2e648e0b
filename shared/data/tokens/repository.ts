import { PutItemCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import type { ApiToken, TokenStore } from '../../domain/auth/tokens.js';
import { alreadyExists } from '../../errors/index.js';
import type { DbContext } from '../db-context.js';
import { isConditionalCheckFailed } from '../dynamo-errors.js';
import { expression, fromAttributes, getItem, queryAll, send, toAttributes } from '../dynamo-ops.js';
import { TABLE } from '../table-definition.js';
import { fromTokenItem, toTokenItem } from './codec.js';
import { TOKEN_LISTING, tokenKey } from './keys.js';

/** Listings never carry hashes: only verification reads them. */
const withoutHash = ({ secretHash: _hash, ...token }: ReturnType<typeof fromTokenItem>): ApiToken => token;

/** API tokens: one item each, read by id; listed newest first through gsi1 (TOKENS / <created ms>#<id>). */
export const createTokenRepository = (db: DbContext): TokenStore => {
  const index = TABLE.indexes.byOwner;

  /** An UpdateItem on an existing token; undefined when its condition fails. */
  const update = async (tokenId: string, updateExpression: string, condition: string, values: Record<string, unknown>) => {
    try {
      const result = await send(() =>
        db.client.send(
          new UpdateItemCommand({
            TableName: db.tableName,
            Key: toAttributes(tokenKey(tokenId)),
            UpdateExpression: updateExpression,
            ConditionExpression: condition,
            ...expression({}, values),
            ReturnValues: 'ALL_NEW',
          }),
        ),
      );
      return result.Attributes ? withoutHash(fromTokenItem(fromAttributes(result.Attributes))) : undefined;
    } catch (error) {
      if (isConditionalCheckFailed(error)) return undefined;
      throw error;
    }
  };

  return {
    async create(token) {
      try {
        await send(() =>
          db.client.send(
            new PutItemCommand({
              TableName: db.tableName,
              Item: toAttributes(toTokenItem(token)),
              ConditionExpression: 'attribute_not_exists(pk)',
            }),
          ),
        );
      } catch (error) {
        if (isConditionalCheckFailed(error)) throw alreadyExists(`Token with ID '${token.tokenId}' already exists.`);
        throw error;
      }
    },

    async get(tokenId) {
      const item = await getItem(db, tokenKey(tokenId));
      return item ? fromTokenItem(item) : undefined;
    },

    async list() {
      const items = await queryAll(db, {
        IndexName: index.name,
        KeyConditionExpression: '#pk = :pk',
        ScanIndexForward: false,
        ...expression({ '#pk': index.partitionKey }, { ':pk': TOKEN_LISTING }),
      });
      return items.map((item) => withoutHash(fromTokenItem(item)));
    },

    revoke: (tokenId, at) =>
      update(tokenId, 'SET revokedAt = if_not_exists(revokedAt, :at) REMOVE secretHash', 'attribute_exists(pk)', { ':at': at }),

    async touch(tokenId, at) {
      // Never on a revoked token: the write must not race a revocation back into a live-looking item.
      await update(tokenId, 'SET lastUsedAt = :at', 'attribute_exists(pk) AND attribute_not_exists(revokedAt)', { ':at': at });
    },
  };
};
