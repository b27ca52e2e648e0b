import { DeleteItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import type { PrincipalStore } from '../../domain/auth/ports.js';
import type { DbContext } from '../db-context.js';
import { expression, getItem, queryAll, send, toAttributes } from '../dynamo-ops.js';
import { TABLE } from '../table-definition.js';
import { fromPrincipalItem, toPrincipalItem } from './codec.js';
import { PRINCIPAL_LISTING, principalKey } from './keys.js';

/**
 * Principal mappings: one item per principal, read by its unique id (strongly consistent: a mapping removed
 * stops counting with the next request); listed by id through gsi1 (PRINCIPALS / <principalId>).
 */
export const createPrincipalRepository = (db: DbContext): PrincipalStore => {
  const index = TABLE.indexes.byOwner;
  return {
    async get(principalId) {
      const item = await getItem(db, principalKey(principalId));
      return item ? fromPrincipalItem(item) : undefined;
    },

    async put(mapping) {
      await send(() => db.client.send(new PutItemCommand({ TableName: db.tableName, Item: toAttributes(toPrincipalItem(mapping)) })));
    },

    async delete(principalId) {
      const result = await send(() =>
        db.client.send(
          new DeleteItemCommand({ TableName: db.tableName, Key: toAttributes(principalKey(principalId)), ReturnValues: 'ALL_OLD' }),
        ),
      );
      return result.Attributes !== undefined;
    },

    async list() {
      const items = await queryAll(db, {
        IndexName: index.name,
        KeyConditionExpression: '#pk = :pk',
        ...expression({ '#pk': index.partitionKey }, { ':pk': PRINCIPAL_LISTING }),
      });
      return items.map(fromPrincipalItem);
    },
  };
};
