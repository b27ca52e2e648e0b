import { PutItemCommand, UpdateItemCommand, type TransactWriteItem } from '@aws-sdk/client-dynamodb';
import type { Subject } from '../../domain/auth/entities.js';
import { temporarilyUnavailable } from '../../errors/index.js';
import type { DbContext } from '../db-context.js';
import { cancellationCodes, isConditionalCheckFailed, isTransactionCanceled } from '../dynamo-errors.js';
import { backoff, expression, getItem, queryAll, send, toAttributes, transactWrite, type Item, type Key } from '../dynamo-ops.js';
import { groupKey } from '../groups/keys.js';
import { TABLE } from '../table-definition.js';
import { toUserNumberItem, USER_GROUPS, usernameOfNumberItem } from '../users/codec.js';
import { USER_LISTING, userKey, userNumberKey } from '../users/keys.js';
import { fromGrantItem, fromMembershipItem, GRANT_MAP, grantMapOf } from './codec.js';
import { GRANT_PREFIX, MEMBER_PREFIX, subjectPartition } from './keys.js';

/**
 * The item a subject's grants travel with, so a decision reads them without a query: a user's item
 * (USER#<name>: its `grants` map and its `groups` set) or a group's (GROUP#<id>: its `grants` map). Every write
 * of a grant or a membership updates it in the same transaction as the per-grant or membership items, under two
 * conditions: the item is still this holder (a user's item still holds the number, so a user deleted and made
 * again under the name receives nothing), and it keeps its map (an item written before maps were kept gets it
 * first, filled from its partition). Entries are set and removed by path, each its own key of the map, and
 * group ids added and removed as set members, so writers of different grants of one holder never overwrite
 * each other; two at the same moment collide as transactions (TransactionConflict) and the loser is sent again.
 */
export type Holder = { readonly kind: 'user'; readonly userId: number; readonly username: string } | { readonly kind: 'group'; readonly groupId: string };

/** Enough for any realistic burst of writes to one holder; past it the caller is told to retry. */
const MAX_ATTEMPTS = 50;

export const holderKey = (holder: Holder): Key => (holder.kind === 'user' ? userKey(holder.username) : groupKey(holder.groupId));

const subjectOf = (holder: Holder): Subject =>
  holder.kind === 'user' ? { kind: 'user', id: holder.userId } : { kind: 'group', id: holder.groupId };

/** "The item is still this holder", for condition expressions. */
const sameHolder = (holder: Holder): { condition: string; names: Record<string, string>; values: Item } =>
  holder.kind === 'user'
    ? { condition: '#holderUserId = :holderUserId', names: { '#holderUserId': 'userId' }, values: { ':holderUserId': holder.userId } }
    : { condition: 'attribute_exists(pk)', names: {}, values: {} };

/** The name of the user holding a number: its USERID item, or (a user made before those were written) gsi1's listing. */
const usernameOf = async (db: DbContext, userId: number): Promise<string | undefined> => {
  const pointer = await getItem(db, userNumberKey(userId));
  if (pointer) return usernameOfNumberItem(pointer);
  const index = TABLE.indexes.byOwner;
  const [listed] = await queryAll(db, {
    IndexName: index.name,
    KeyConditionExpression: '#pk = :pk',
    FilterExpression: '#userId = :userId',
    ...expression({ '#pk': index.partitionKey, '#userId': 'userId' }, { ':pk': USER_LISTING, ':userId': userId }),
  });
  if (!listed || typeof listed.username !== 'string') return undefined;
  try {
    await send(() =>
      db.client.send(
        new PutItemCommand({
          TableName: db.tableName,
          Item: toAttributes(toUserNumberItem(userId, listed.username as string)),
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      ),
    );
  } catch (error) {
    if (!isConditionalCheckFailed(error)) throw error;
  }
  return listed.username;
};

/** The holder of a subject's grants; undefined for a user number no user ever held. */
export const holderOf = async (db: DbContext, subject: Subject): Promise<Holder | undefined> => {
  if (subject.kind === 'group') return { kind: 'group', groupId: subject.id };
  const username = await usernameOf(db, subject.id);
  return username === undefined ? undefined : { kind: 'user', userId: subject.id, username };
};

/** An update of the holder's item inside a transaction: only while it is the same holder and keeps its map. */
export const holderUpdate = (
  db: DbContext,
  holder: Holder,
  update: { readonly expression: string; readonly names: Record<string, string>; readonly values?: Item },
): TransactWriteItem => {
  const same = sameHolder(holder);
  return {
    Update: {
      TableName: db.tableName,
      Key: toAttributes(holderKey(holder)),
      UpdateExpression: update.expression,
      ConditionExpression: `${same.condition} AND attribute_exists(#holderGrants)`,
      ...expression({ ...same.names, '#holderGrants': GRANT_MAP, ...update.names }, { ...same.values, ...update.values }),
    },
  };
};

/** Sets one entry of the holder's map. */
export const setGrantEntry = (db: DbContext, holder: Holder, entry: string, permission: string) =>
  holderUpdate(db, holder, { expression: 'SET #holderGrants.#entry = :permission', names: { '#entry': entry }, values: { ':permission': permission } });

/** Removes one entry of the holder's map (nothing when it has none). */
export const removeGrantEntry = (db: DbContext, holder: Holder, entry: string) =>
  holderUpdate(db, holder, { expression: 'REMOVE #holderGrants.#entry', names: { '#entry': entry } });

/** Adds a group to, or removes it from, a user's `groups` set. */
export const changeUserGroups = (db: DbContext, holder: Holder & { kind: 'user' }, action: 'ADD' | 'DELETE', groupId: string) =>
  holderUpdate(db, holder, { expression: `${action} #groups :groupIds`, names: { '#groups': USER_GROUPS }, values: { ':groupIds': new Set([groupId]) } });

/**
 * Gives an item written before grants travelled with their holders its map (and a user's item its groups),
 * made from the per-grant and membership items of the holder's partition. Only where the map is missing:
 * every later write of that partition needs the map, so none can land between the query and this update.
 */
export const fillHolder = async (db: DbContext, holder: Holder): Promise<void> => {
  const items = await queryAll(db, {
    KeyConditionExpression: 'pk = :pk',
    ConsistentRead: true,
    ...expression({}, { ':pk': subjectPartition(subjectOf(holder)) }),
  });
  const sortKey = (item: Item) => String(item.sk);
  const grants = items.filter((item) => sortKey(item).startsWith(GRANT_PREFIX)).map(fromGrantItem);
  const groupIds = holder.kind === 'user' ? items.filter((item) => sortKey(item).startsWith(MEMBER_PREFIX)).map((item) => fromMembershipItem(item).groupId) : [];
  const same = sameHolder(holder);
  try {
    await send(() =>
      db.client.send(
        new UpdateItemCommand({
          TableName: db.tableName,
          Key: toAttributes(holderKey(holder)),
          UpdateExpression: groupIds.length > 0 ? 'SET #holderGrants = :grants, #groups = :groupIds' : 'SET #holderGrants = :grants',
          ConditionExpression: `${same.condition} AND attribute_not_exists(#holderGrants)`,
          ...expression(
            { ...same.names, '#holderGrants': GRANT_MAP, ...(groupIds.length > 0 ? { '#groups': USER_GROUPS } : {}) },
            { ...same.values, ':grants': grantMapOf(grants), ...(groupIds.length > 0 ? { ':groupIds': new Set(groupIds) } : {}) },
          ),
        }),
      ),
    );
  } catch (error) {
    // Filled by another writer meanwhile, or the holder is gone: either way nothing is left to fill.
    if (!isConditionalCheckFailed(error)) throw error;
  }
};

/** Whether the holder's item is gone (or, for a user, now holds another number). */
export const holderGone = async (db: DbContext, holder: Holder): Promise<boolean> => {
  const item = await getItem(db, holderKey(holder));
  return !item || (holder.kind === 'user' && item.userId !== holder.userId);
};

/** After the holder's update failed: 'gone', 'filled' (its map was missing and is there now), or 'unchanged'. */
const recoverHolder = async (db: DbContext, holder: Holder): Promise<'gone' | 'filled' | 'unchanged'> => {
  const item = await getItem(db, holderKey(holder));
  if (!item || (holder.kind === 'user' && item.userId !== holder.userId)) return 'gone';
  if (Object.hasOwn(item, GRANT_MAP)) return 'unchanged';
  await fillHolder(db, holder);
  return 'filled';
};

/**
 * Setting a path in a map the item lacks: DynamoDB Local refuses the whole request so (a ValidationException,
 * not a cancelled transaction), where the "keeps its map" condition did not catch it first.
 */
const isInvalidDocumentPath = (error: unknown): boolean =>
  error instanceof Error && error.name === 'ValidationException' && /document path provided in the update expression is invalid/i.test(error.message);

/** After the holder's update at a failed transaction's place failed with `code`: see afterHolderError. */
const afterHolderFailure = async (db: DbContext, holder: Holder, code: string | undefined): Promise<'gone' | 'retry' | undefined> => {
  if (code !== 'ConditionalCheckFailed' && code !== 'ValidationError') return undefined;
  const recovery = await recoverHolder(db, holder);
  if (recovery === 'gone') return 'gone';
  // A condition that failed on an item that now passes it: changed in between, so try again.
  return recovery === 'unchanged' && code === 'ValidationError' ? undefined : 'retry';
};

/**
 * What to do after a transaction with holderUpdates (at `index` among its items) failed with `error`: 'gone'
 * (a holder is no more), 'retry' (a holder's map was missing and is there now, or its item changed in between),
 * or undefined when no holder's item is what failed.
 */
export const afterHolderError = async (
  db: DbContext,
  holders: readonly { readonly holder: Holder; readonly index: number }[],
  error: unknown,
): Promise<'gone' | 'retry' | undefined> => {
  let codeAt: (index: number) => string | undefined;
  if (isTransactionCanceled(error)) {
    const codes = cancellationCodes(error);
    codeAt = (index) => codes[index];
  } else if (isInvalidDocumentPath(error)) {
    codeAt = () => 'ValidationError';
  } else {
    return undefined;
  }
  let next: 'retry' | undefined;
  for (const { holder, index } of holders) {
    const after = await afterHolderFailure(db, holder, codeAt(index));
    if (after === 'gone') return 'gone';
    next ??= after;
  }
  return next;
};

export type HolderOutcome =
  | { readonly ok: true }
  | { readonly ok: false; readonly holderGone: true }
  | { readonly ok: false; readonly holderGone: false; readonly codes: readonly (string | undefined)[] };

/**
 * Sends a transaction whose item at `holderIndex` is a holderUpdate. Sent again after a conflict with another
 * transaction on the same items, and after the holder's item got its map; `holderGone` when the holder is no
 * more; other failed conditions come back as the cancellation codes.
 */
export const transactWithHolder = async (
  db: DbContext,
  holder: Holder,
  items: TransactWriteItem[],
  holderIndex: number,
): Promise<HolderOutcome> => {
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    try {
      await transactWrite(db, items);
      return { ok: true };
    } catch (error) {
      const next = await afterHolderError(db, [{ holder, index: holderIndex }], error);
      if (next === 'gone') return { ok: false, holderGone: true };
      if (next !== 'retry') {
        if (!isTransactionCanceled(error)) throw error;
        const codes = cancellationCodes(error);
        if (!codes.includes('TransactionConflict')) return { ok: false, holderGone: false, codes };
      }
      await backoff(Math.min(attempt, 6));
    }
  }
  throw temporarilyUnavailable('Many permission changes of one user or role at once; retry.');
};
