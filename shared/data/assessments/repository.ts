import { PutItemCommand, type TransactWriteItem } from '@aws-sdk/client-dynamodb';
import type { Assessment, AssessmentKind } from '../../domain/genai/assessments.js';
import type { AssessmentStore } from '../../domain/genai/assessments-ports.js';
import { mapConcurrently } from '../../domain/kernel/concurrency.js';
import { assessmentNotFound } from '../../domain/genai/assessments-service.js';
import type { DbContext } from '../db-context.js';
import { cancellationCodes, isConditionalCheckFailed, isTransactionCanceled } from '../dynamo-errors.js';
import { batchGet, expression, getItem, queryAll, send, toAttributes, transactWrite } from '../dynamo-ops.js';
import { TABLE } from '../table-definition.js';
import { tracePartition } from '../traces/keys.js';
import { fromAssessmentItem, toAssessmentItem } from './codec.js';
import { ASSESSMENT_SORT_PREFIX, assessmentCountKey, assessmentIndexPartition, assessmentIndexPrefix, assessmentKey } from './keys.js';

/** Partitions read at once when listing the assessments of a page of traces. */
const PARALLEL_READS = 16;

const byCreation = (a: Assessment, b: Assessment) => a.createTimeMs - b.createTimeMs || (a.assessmentId < b.assessmentId ? -1 : 1);

/** Marks the overridden assessment valid or not; the write fails when it is not there. */
const setValid = (db: DbContext, traceId: string, assessmentId: string, valid: boolean): TransactWriteItem => ({
  Update: {
    TableName: db.tableName,
    Key: toAttributes(assessmentKey(traceId, assessmentId)),
    UpdateExpression: 'SET #valid = :valid',
    ConditionExpression: 'attribute_exists(sk)',
    ...expression({ '#valid': 'valid' }, { ':valid': valid }),
  },
});

/** Counts an assessment in or out of the trace's count item (created by the first). */
const count = (db: DbContext, traceId: string, by: 1 | -1): TransactWriteItem => ({
  Update: {
    TableName: db.tableName,
    Key: toAttributes(assessmentCountKey(traceId)),
    UpdateExpression: 'ADD #count :by',
    ...expression({ '#count': 'count' }, { ':by': by }),
  },
});

const failedAt = (error: unknown, index: number): boolean =>
  isTransactionCanceled(error) && cancellationCodes(error)[index] === 'ConditionalCheckFailed';

export const createAssessmentRepository = (db: DbContext): AssessmentStore => {
  const put = (assessment: Assessment, experimentId: string, condition: string) =>
    send(() =>
      db.client.send(
        new PutItemCommand({
          TableName: db.tableName,
          Item: toAttributes(toAssessmentItem(assessment, experimentId)),
          ConditionExpression: condition,
        }),
      ),
    );

  const listForTrace = async (traceId: string): Promise<Assessment[]> => {
    const items = await queryAll(db, {
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ...expression({}, { ':pk': tracePartition(traceId), ':prefix': ASSESSMENT_SORT_PREFIX }),
      ConsistentRead: true,
    });
    return items.map(fromAssessmentItem).sort(byCreation);
  };

  return {
    async create(assessment, experimentId) {
      const writes: TransactWriteItem[] = [
        {
          Put: {
            TableName: db.tableName,
            Item: toAttributes(toAssessmentItem(assessment, experimentId)),
            ConditionExpression: 'attribute_not_exists(sk)',
          },
        },
        count(db, assessment.traceId, 1),
      ];
      if (assessment.overrides) writes.push(setValid(db, assessment.traceId, assessment.overrides, false));
      try {
        await transactWrite(db, writes);
      } catch (error) {
        if (assessment.overrides && failedAt(error, 2)) throw assessmentNotFound(assessment.traceId, assessment.overrides);
        throw error;
      }
    },

    async get(traceId, assessmentId) {
      const item = await getItem(db, assessmentKey(traceId, assessmentId));
      return item ? fromAssessmentItem(item) : undefined;
    },

    async replace(assessment, experimentId) {
      try {
        await put(assessment, experimentId, 'attribute_exists(sk)');
      } catch (error) {
        if (isConditionalCheckFailed(error)) throw assessmentNotFound(assessment.traceId, assessment.assessmentId);
        throw error;
      }
    },

    async delete(traceId, assessmentId) {
      const item = await getItem(db, assessmentKey(traceId, assessmentId));
      if (!item) return false;
      const { overrides } = fromAssessmentItem(item);
      const removal: TransactWriteItem[] = [
        {
          Delete: {
            TableName: db.tableName,
            Key: toAttributes(assessmentKey(traceId, assessmentId)),
            ConditionExpression: 'attribute_exists(sk)',
          },
        },
        count(db, traceId, -1),
      ];
      // The assessment it replaced counts again, as in MLflow; if that one was deleted meanwhile, only this goes.
      for (const writes of overrides ? [[...removal, setValid(db, traceId, overrides, true)], removal] : [removal]) {
        try {
          await transactWrite(db, writes);
          return true;
        } catch (error) {
          // Deleted meanwhile by another call: nothing left to do.
          if (failedAt(error, 0)) return false;
          if (!failedAt(error, 2)) throw error;
        }
      }
      return false;
    },

    listForTrace,

    async listForTraces(traceIds) {
      // Most traces have no assessment: their count items (one BatchGetItem per 100) say which to read.
      const byPartition = new Map(traceIds.map((traceId) => [tracePartition(traceId), traceId]));
      const counted = await batchGet(db, [...byPartition.values()].map(assessmentCountKey));
      const withAny = counted.flatMap((item) => {
        const traceId = byPartition.get(String(item.pk));
        return traceId !== undefined && Number(item.count) > 0 ? [traceId] : [];
      });
      const lists = await mapConcurrently(withAny, PARALLEL_READS, listForTrace);
      const byTrace = new Map<string, Assessment[]>();
      withAny.forEach((traceId, i) => {
        const list = lists[i] ?? [];
        if (list.length > 0) byTrace.set(traceId, list);
      });
      return byTrace;
    },

    async listByName(experimentId: string, kind: AssessmentKind, name: string) {
      const items = await queryAll(db, {
        IndexName: TABLE.indexes.byOwner.name,
        KeyConditionExpression: '#pk = :pk AND begins_with(#sk, :prefix)',
        ...expression(
          { '#pk': TABLE.indexes.byOwner.partitionKey, '#sk': TABLE.indexes.byOwner.sortKey },
          { ':pk': assessmentIndexPartition(experimentId), ':prefix': assessmentIndexPrefix(kind, name) },
        ),
      });
      return items.map(fromAssessmentItem);
    },
  };
};
