import { createHash } from 'node:crypto';
import type { TransactWriteItem } from '@aws-sdk/client-dynamodb';
import { RUN_NAME_TAG, type DatasetInput, type LifecycleStage, type MetricRange, type Run, type RunInfo } from '../../domain/tracking/entities.js';
import type { RunScope, RunStore, RunWrites } from '../../domain/tracking/ports.js';
import { notFound, runNotFound } from '../../errors/index.js';
import type { DbContext } from '../db-context.js';
import { cancellationCodes, isTransactionCanceled } from '../dynamo-errors.js';
import { expression, getItem, toAttributes } from '../dynamo-ops.js';
import { createModelExperiments } from '../logged-models/marks.js';
import { transactWithMark, type MarkingDb } from './dirty-marks.js';
import { readRun } from './run-reads.js';
import {
  fromRunItem,
  toDatasetInputItem,
  toModelInputItem,
  toModelOutputItem,
  toRunItem,
  toTagItem,
} from './codec.js';
import { runChangeIndexKey, runKey } from './keys.js';
import { createKnownRanges, fillMetricRanges } from './range-writes.js';
import { inactiveRunError, writeRunData, writeToActiveRun } from './run-writes.js';

/** DynamoDB allows 100 items per transaction; one is the run's dirty mark. */
const MAX_ITEMS_PER_TRANSACTION = 99;

export interface RunRepositoryOptions {
  /** Told after each committed run write, with the run's experiment (npm start's local snapshot feed). */
  readonly onRunMarked?: (experimentId: string) => void;
  /** Told after a run write appended a logged model's metric points, with the model's experiment. */
  readonly onLoggedModelMarked?: (experimentId: string) => void;
}

/** Runs and their summaries. Every write to a run checks, in the same transaction, that the run is active. */
export const createRunRepository = (table: DbContext, options: RunRepositoryOptions = {}) => {
  const db: MarkingDb = { ...table, onRunMarked: options.onRunMarked, onLoggedModelMarked: options.onLoggedModelMarked };
  const modelExperiments = createModelExperiments(db);
  const putItem = (item: Record<string, unknown>, condition?: string): TransactWriteItem => ({
    Put: { TableName: db.tableName, Item: toAttributes(item), ...(condition ? { ConditionExpression: condition } : {}) },
  });
  const knownRanges = createKnownRanges();

  return {
    /** Stores a new run with its initial tags. */
    async create(info: RunInfo, tags: { key: string; value: string }[], now: number): Promise<void> {
      const items = [
        putItem(toRunItem(info, now), 'attribute_not_exists(pk)'),
        ...tags.map((tag) => putItem(toTagItem(info, tag.key, tag.value, now))),
      ];
      for (let offset = 0; offset < items.length; offset += MAX_ITEMS_PER_TRANSACTION) {
        await transactWithMark(db, items.slice(offset, offset + MAX_ITEMS_PER_TRANSACTION), info, now);
      }
    },

    /** The whole run: info, params, tags, latest metrics, inputs and outputs. */
    get(runId: string): Promise<Run | undefined> {
      return readRun(db, runId);
    },

    async getInfo(runId: string): Promise<RunInfo | undefined> {
      const item = await getItem(db, runKey(runId));
      if (!item) return undefined;
      const { deletedTime: _, ...info } = fromRunItem(item);
      return info;
    },

    /** Sets status, end time and name; a new name also goes to the run's `mlflow.runName` tag, in the same transaction. */
    async updateInfo(info: RunInfo, now: number, runNameTag?: string): Promise<void> {
      const update: TransactWriteItem = {
        Update: {
          TableName: db.tableName,
          Key: toAttributes(runKey(info.runId)),
          UpdateExpression: `SET #status = :status, runName = :name, updatedAt = :now, gsi2sk = :gsi2sk${
            info.endTime === undefined ? '' : ', endTime = :end'
          }`,
          ConditionExpression: 'lifecycleStage = :active',
          ...expression(
            { '#status': 'status' },
            {
              ':status': info.status,
              ':name': info.runName,
              ':now': now,
              ':gsi2sk': runChangeIndexKey(info.experimentId, info.runId, now).gsi2sk,
              ':end': info.endTime,
              ':active': 'active',
            },
          ),
        },
      };
      const items = [update];
      if (runNameTag !== undefined) items.push(putItem(toTagItem(info, RUN_NAME_TAG, runNameTag, now)));
      try {
        await transactWithMark(db, items, info, now);
      } catch (error) {
        if (isTransactionCanceled(error) && cancellationCodes(error)[0] === 'ConditionalCheckFailed') {
          throw await inactiveRunError(db, info.runId);
        }
        throw error;
      }
    },

    /** Deletes or restores; idempotent, as in MLflow. */
    async setLifecycle(scope: RunScope, stage: LifecycleStage, now: number): Promise<void> {
      const deleted = stage === 'deleted';
      const update: TransactWriteItem = {
        Update: {
          TableName: db.tableName,
          Key: toAttributes(runKey(scope.runId)),
          UpdateExpression: `SET lifecycleStage = :stage, updatedAt = :now, gsi2sk = :gsi2sk${
            deleted ? ', deletedTime = :now' : ' REMOVE deletedTime'
          }`,
          ConditionExpression: 'attribute_exists(pk)',
          ...expression(
            {},
            { ':stage': stage, ':now': now, ':gsi2sk': runChangeIndexKey(scope.experimentId, scope.runId, now).gsi2sk },
          ),
        },
      };
      try {
        await transactWithMark(db, [update], scope, now);
      } catch (error) {
        if (isTransactionCanceled(error) && cancellationCodes(error)[0] === 'ConditionalCheckFailed') throw runNotFound(scope.runId);
        throw error;
      }
    },

    /** Params, tags, metric points, a new name and model metrics in one transaction; see writeRunData. */
    logData(scope: RunScope, writes: RunWrites, now: number): Promise<void> {
      return writeRunData(db, scope, writes, now, modelExperiments, knownRanges);
    },

    /** Min and max read from whole histories, merged with what is stored; see fillMetricRanges. */
    fillMetricRanges(scope: RunScope, ranges: Record<string, MetricRange>, now: number): Promise<void> {
      return fillMetricRanges(db, scope, ranges, now);
    },

    /** Tombstones the tag; RESOURCE_DOES_NOT_EXIST when the run has no such tag. */
    async deleteTag(scope: RunScope, key: string, now: number): Promise<void> {
      const tombstone = { ...toTagItem(scope, key, '', now), deleted: true };
      const condition = 'attribute_exists(pk) AND attribute_not_exists(deleted)';
      await writeToActiveRun(db, scope, [putItem(tombstone, condition)], now, () =>
        notFound(`No tag with name: ${key} in run with id ${scope.runId}`),
      );
    },

    async logInputs(scope: RunScope, datasets: DatasetInput[], modelIds: string[], now: number): Promise<void> {
      const items = [
        ...dedupeDatasetInputs(datasets).map(([id, input]) => putItem(toDatasetInputItem(scope, id, input, now))),
        ...[...new Set(modelIds)].map((modelId) => putItem(toModelInputItem(scope, modelId, now))),
      ];
      await writeToActiveRun(db, scope, items, now);
    },

    async logOutputs(scope: RunScope, outputs: { modelId: string; step: number }[], now: number): Promise<void> {
      const unique = [...new Map(outputs.map((o) => [o.modelId, o])).values()];
      await writeToActiveRun(db, scope, unique.map((o) => putItem(toModelOutputItem(scope, o.modelId, o.step, now))), now);
    },
  } satisfies RunStore;
};

/** A dataset logged twice to a run is one input (MLflow keys inputs by dataset name and digest); the last tags win. */
const dedupeDatasetInputs = (datasets: DatasetInput[]): [string, DatasetInput][] => [
  ...new Map(
    datasets.map((input) => [
      createHash('sha256').update(JSON.stringify([input.dataset.name, input.dataset.digest])).digest('hex').slice(0, 32),
      input,
    ]),
  ).entries(),
];
