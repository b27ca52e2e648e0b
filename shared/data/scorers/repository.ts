import { randomUUID } from 'node:crypto';
import type { TransactWriteItem } from '@aws-sdk/client-dynamodb';
import type { ScorerDeletion, ScorerHead, ScorerStore, ScorerVersion } from '../../domain/genai/scorers-entities.js';
import { temporarilyUnavailable } from '../../errors/index.js';
import type { DbContext } from '../db-context.js';
import { cancellationCodes, isTransactionCanceled } from '../dynamo-errors.js';
import { backoff, batchGet, expression, getItem, queryAll, toAttributes, transactWrite } from '../dynamo-ops.js';
import { deleteKeys } from '../eval-datasets/batch-delete.js';
import { fromScorerHeadItem, fromScorerVersionItem, toScorerHeadItem, toScorerVersionItem, type StoredScorerHead } from './codec.js';
import { SCORER_HEAD_PREFIX, SCORER_VERSION_PREFIX, scorerHeadKey, scorerHeadPartition, scorerVersionKey, scorerVersionPartition } from './keys.js';

/** Rounds of an optimistic change before giving up with TEMPORARILY_UNAVAILABLE (which clients retry). */
const MAX_ATTEMPTS = 80;
/** Items of one TransactWriteItems call. */
const TRANSACTION_ITEMS = 100;

/** A lost race: a condition on the head (or a new version's key) failed, or DynamoDB saw a concurrent transaction. */
const isLostRace = (error: unknown) =>
  isTransactionCanceled(error) && cancellationCodes(error).some((code) => code === 'ConditionalCheckFailed' || code === 'TransactionConflict');

/**
 * Every change of a scorer is one transaction that moves its head's `revision` on, conditioned on the revision it
 * was planned from: concurrent registrations and deletions of one name are serialized by DynamoDB, and the loser
 * plans again from what the winner left. So versions are numbered without gaps or repeats, and the head's
 * `latestVersion` is always the highest version that exists (MLflow numbers a registration max(version) + 1).
 */
export const createScorerRepository = (db: DbContext): ScorerStore => {
  const readHead = async (experimentId: string, name: string): Promise<StoredScorerHead | undefined> => {
    const item = await getItem(db, scorerHeadKey(experimentId, name));
    return item ? fromScorerHeadItem(item) : undefined;
  };

  const headUpdate = (head: StoredScorerHead, latestVersion: number): TransactWriteItem => ({
    Update: {
      TableName: db.tableName,
      Key: toAttributes(scorerHeadKey(head.experimentId, head.name)),
      UpdateExpression: 'SET latestVersion = :latest, revision = :next',
      ConditionExpression: 'revision = :seen',
      ...expression({}, { ':latest': latestVersion, ':next': head.revision + 1, ':seen': head.revision }),
    },
  });

  const putNew = (item: Record<string, unknown>): TransactWriteItem => ({
    Put: { TableName: db.tableName, Item: toAttributes(item), ConditionExpression: 'attribute_not_exists(pk)' },
  });

  const deleteItem = (key: { pk: string; sk: string }, condition?: { expression: string; values: Record<string, unknown> }): TransactWriteItem => ({
    Delete: {
      TableName: db.tableName,
      Key: toAttributes({ pk: key.pk, sk: key.sk }),
      ...(condition ? { ConditionExpression: condition.expression, ...expression({}, condition.values) } : {}),
    },
  });

  const versionKeys = async (scorerId: string) =>
    (
      await queryAll(db, {
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        ExpressionAttributeValues: toAttributes({ ':pk': scorerVersionPartition(scorerId), ':prefix': SCORER_VERSION_PREFIX }),
        ProjectionExpression: 'pk, sk, version',
        ConsistentRead: true,
      })
    ).map((item) => ({ pk: String(item.pk), sk: String(item.sk), version: Number(item.version) }));

  /** Runs `plan` until its transaction lands; `plan` answers the outcome directly when there is nothing to write. */
  const optimistic = async <T>(plan: () => Promise<{ items: TransactWriteItem[]; result: T } | { done: T }>): Promise<T> => {
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const planned = await plan();
      if ('done' in planned) return planned.done;
      try {
        await transactWrite(db, planned.items);
        return planned.result;
      } catch (error) {
        if (!isLostRace(error)) throw error;
        await backoff(Math.min(attempt, 6));
      }
    }
    throw temporarilyUnavailable('Too many concurrent changes of this scorer; retry later.');
  };

  return {
    register: (experimentId, name, serializedScorer, now) =>
      optimistic(async () => {
        const head = await readHead(experimentId, name);
        const version: ScorerVersion = {
          experimentId,
          name,
          scorerId: head?.scorerId ?? randomUUID(),
          version: (head?.latestVersion ?? 0) + 1,
          serializedScorer,
          creationTime: now,
        };
        const headItem = head
          ? headUpdate(head, version.version)
          : putNew(toScorerHeadItem({ experimentId, name, scorerId: version.scorerId, latestVersion: 1, revision: 1 }));
        return { items: [headItem, putNew(toScorerVersionItem(version))], result: version };
      }),

    head: readHead,

    async heads(experimentId) {
      const items = await queryAll(db, {
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        ExpressionAttributeValues: toAttributes({ ':pk': scorerHeadPartition(experimentId), ':prefix': SCORER_HEAD_PREFIX }),
        ConsistentRead: true,
      });
      return items.map(fromScorerHeadItem);
    },

    async version(head, version) {
      if (!Number.isSafeInteger(version) || version < 1) return undefined;
      const item = await getItem(db, scorerVersionKey(head.scorerId, version));
      return item ? fromScorerVersionItem(item) : undefined;
    },

    async latestOf(heads: readonly ScorerHead[]) {
      const live = heads.filter((head) => head.latestVersion > 0);
      const found = (await batchGet(db, live.map((head) => scorerVersionKey(head.scorerId, head.latestVersion)))).map(fromScorerVersionItem);
      const byScorer = new Map(found.map((version) => [version.scorerId, version]));
      return live.flatMap((head) => byScorer.get(head.scorerId) ?? []);
    },

    async versions(head) {
      const items = await queryAll(db, {
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        ExpressionAttributeValues: toAttributes({ ':pk': scorerVersionPartition(head.scorerId), ':prefix': SCORER_VERSION_PREFIX }),
        ConsistentRead: true,
      });
      return items.map(fromScorerVersionItem);
    },

    async delete(experimentId, name, version): Promise<ScorerDeletion> {
      let leftovers: { pk: string; sk: string }[] = [];
      const outcome = await optimistic<ScorerDeletion>(async () => {
        const head = await readHead(experimentId, name);
        if (!head) return { done: 'no-scorer' };
        const existing = await versionKeys(head.scorerId);
        if (version === undefined) {
          if (existing.length === 0) return { done: 'no-version' };
          // The head goes first, with as many versions as the transaction holds; the rest belong to an id nobody
          // reaches any more and are removed after it.
          const inTransaction = existing.slice(0, TRANSACTION_ITEMS - 1);
          leftovers = existing.slice(TRANSACTION_ITEMS - 1);
          const items = [
            deleteItem(scorerHeadKey(experimentId, name), { expression: 'revision = :seen', values: { ':seen': head.revision } }),
            ...inTransaction.map((key) => deleteItem(key)),
          ];
          return { items, result: 'deleted' };
        }
        if (!existing.some((key) => key.version === version)) return { done: 'no-version' };
        const remaining = existing.filter((key) => key.version !== version).map((key) => key.version);
        const latest = remaining.length > 0 ? Math.max(...remaining) : 0;
        const items = [
          deleteItem(scorerVersionKey(head.scorerId, version), { expression: 'attribute_exists(pk)', values: {} }),
          headUpdate(head, latest),
        ];
        return { items, result: 'deleted' };
      });
      if (leftovers.length > 0) await deleteKeys(db, leftovers.map(({ pk, sk }) => ({ pk, sk })));
      return outcome;
    },
  };
};
