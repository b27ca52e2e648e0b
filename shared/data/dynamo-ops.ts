import {
  UpdateItemCommand,
  BatchGetItemCommand,
  GetItemCommand,
  QueryCommand,
  TransactWriteItemsCommand,
  type AttributeValue,
  type QueryCommandInput,
  type TransactWriteItem,
  type TransactWriteItemsCommandInput,
} from '@aws-sdk/client-dynamodb';
import { marshallItem, unmarshallItem } from './attribute-values.js';
import type { DbContext } from './db-context.js';
import { translateDynamoError } from './dynamo-errors.js';
import { sendWired } from './dynamo-wire.js';

export type Item = Record<string, unknown>;
export type Key = { pk: string; sk: string };

/** Safe for any map key, `__proto__` and `constructor` included (see attribute-values.ts). */
export const toAttributes = (item: Item): Record<string, AttributeValue> => marshallItem(item);
export const fromAttributes = (attributes: Record<string, AttributeValue>): Item => unmarshallItem(attributes);

/** Runs a DynamoDB call and turns throttling into TEMPORARILY_UNAVAILABLE; other errors pass through. */
export const send = async <T>(call: () => Promise<T>): Promise<T> => {
  try {
    return await call();
  } catch (error) {
    throw translateDynamoError(error);
  }
};

export const getItem = async (db: DbContext, key: Key, consistent = true): Promise<Item | undefined> => {
  const { Item } = await send(() =>
    db.client.send(new GetItemCommand({ TableName: db.tableName, Key: toAttributes(key), ConsistentRead: consistent })),
  );
  return Item ? fromAttributes(Item) : undefined;
};

/** Every item of a query, following LastEvaluatedKey to the end. */
/** A query's items page by page (DynamoDB's 1 MB pages), so a caller may use each before the next is read. */
export async function* queryPages(db: DbContext, input: Omit<QueryCommandInput, 'TableName'>): AsyncGenerator<Item[]> {
  let startKey: Record<string, AttributeValue> | undefined;
  do {
    const page = await send(() =>
      db.client.send(new QueryCommand({ ...input, TableName: db.tableName, ExclusiveStartKey: startKey })),
    );
    yield (page.Items ?? []).map(fromAttributes);
    startKey = page.LastEvaluatedKey;
  } while (startKey);
}

export const queryAll = async (db: DbContext, input: Omit<QueryCommandInput, 'TableName'>): Promise<Item[]> => {
  const items: Item[] = [];
  for await (const page of queryPages(db, input)) items.push(...page);
  return items;
};

/** Items by key, in no particular order; retries unprocessed keys. At most 100 keys per call to DynamoDB. */
export const batchGet = async (db: DbContext, keys: Key[]): Promise<Item[]> => {
  const items: Item[] = [];
  for (let offset = 0; offset < keys.length; offset += 100) {
    let pending: Record<string, AttributeValue>[] | undefined = keys.slice(offset, offset + 100).map((k) => toAttributes(k));
    for (let attempt = 0; pending && pending.length > 0; attempt++) {
      const requestKeys: Record<string, AttributeValue>[] = pending;
      const result = await send(() =>
        db.client.send(
          new BatchGetItemCommand({ RequestItems: { [db.tableName]: { Keys: requestKeys, ConsistentRead: true } } }),
        ),
      );
      for (const item of result.Responses?.[db.tableName] ?? []) items.push(fromAttributes(item));
      pending = result.UnprocessedKeys?.[db.tableName]?.Keys;
      if (pending?.length) await backoff(attempt);
    }
  }
  return items;
};

/** One transaction, through the client's wire (dynamo-wire.ts): every log-metric and log-batch is one. */
export const transactWrite = async (db: DbContext, items: TransactWriteItem[]): Promise<void> => {
  await send(() =>
    sendWired(db.client, 'TransactWriteItems', { TransactItems: items }, (input: TransactWriteItemsCommandInput) =>
      db.client.send(new TransactWriteItemsCommand(input)),
    ),
  );
};

export const backoff = (attempt: number) =>
  new Promise((resolve) => setTimeout(resolve, Math.min(1000, 10 * 2 ** attempt) * (0.5 + Math.random())));

/** Builds ExpressionAttributeNames/Values from readable placeholders: names `#x` and values `:x`. */
export const expression = (names: Record<string, string>, values?: Item) => ({
  ...(Object.keys(names).length > 0 ? { ExpressionAttributeNames: names } : {}),
  ...(values && Object.keys(values).length > 0 ? { ExpressionAttributeValues: toAttributes(values) } : {}),
});

/**
 * The next number of a counter item (atomic ADD, starting at 1): ids that are never reused, as MLflow's SQL
 * store numbers experiments, users and roles. Concurrent callers each get their own number.
 */
export const nextInSequence = async (db: DbContext, key: Record<string, string>): Promise<number> => {
  const result = await send(() =>
    db.client.send(
      new UpdateItemCommand({
        TableName: db.tableName,
        Key: toAttributes(key),
        UpdateExpression: 'ADD #n :one',
        ...expression({ '#n': 'next' }, { ':one': 1 }),
        ReturnValues: 'UPDATED_NEW',
      }),
    ),
  );
  return Number(fromAttributes(result.Attributes ?? {}).next);
};
