/**
 * Loading `scale-catalog.ts`'s data: the items the repositories' codecs build (experiments and their name
 * guards, registered models with their versions and name guards, logged models), put with BatchWriteItem,
 * 25 at a time and several batches at once. Through the use cases, 100,000 experiments took 45 minutes on a busy
 * machine; this takes a minute or two. What this leaves out is what only writes through the repositories make:
 * the catalog (shared/data/catalog), which the first search then builds from the items, as it does for a table
 * written before the catalog existed; the registry's events; grants.
 */
import { BatchWriteItemCommand, type WriteRequest } from '@aws-sdk/client-dynamodb';
import type { DbContext } from '../../shared/data/db-context.js';
import { toAttributes, type Item } from '../../shared/data/dynamo-ops.js';
import { toExperimentItem, toNameGuardItem as toExperimentNameGuardItem } from '../../shared/data/experiments/codec.js';
import { createExperimentRepository } from '../../shared/data/experiments/repository.js';
import { toLoggedModelItem } from '../../shared/data/logged-models/codec.js';
import { newRegisteredModelAttributes, toModelVersionItem, toNameGuardItem as toModelNameGuardItem } from '../../shared/data/registry/codec.js';
import { registeredModelKey, registeredModelListingKey } from '../../shared/data/registry/keys.js';
import type { Experiment, LoggedModel } from '../../shared/domain/tracking/entities.js';
import { newLoggedModelId } from '../../shared/domain/tracking/names.js';
import { seededRandom } from '../support/seeded-random.js';
import type { CatalogSizes } from './scale-catalog-searches.js';
import { fmt, log, stopwatch } from './report.js';

const BATCH = 25;
const IN_FLIGHT = 8;

const putAll = async (db: DbContext, what: string, items: Iterable<Item>) => {
  const clock = stopwatch();
  const batches: WriteRequest[][] = [];
  let batch: WriteRequest[] = [];
  let count = 0;
  for (const item of items) {
    batch.push({ PutRequest: { Item: toAttributes(item) } });
    count++;
    if (batch.length === BATCH) {
      batches.push(batch);
      batch = [];
    }
  }
  if (batch.length > 0) batches.push(batch);
  let next = 0;
  const worker = async () => {
    while (next < batches.length) {
      let pending: WriteRequest[] | undefined = batches[next++];
      while (pending && pending.length > 0) {
        const requests: WriteRequest[] = pending;
        const result = await db.client.send(new BatchWriteItemCommand({ RequestItems: { [db.tableName]: requests } }));
        pending = result.UnprocessedItems?.[db.tableName];
      }
    }
  };
  await Promise.all(Array.from({ length: IN_FLIGHT }, worker));
  log(`${what}: ${fmt(count)} items in ${fmt(clock() / 1000, 1)} s`);
};

/** Experiments exp-1 … exp-n with ids 1 … n (every tenth tagged), and the id counter past them. */
export const loadExperiments = async (db: DbContext, count: number, base: number): Promise<void> => {
  function* items(): Generator<Item> {
    for (let i = 1; i <= count; i++) {
      const experiment: Experiment = {
        experimentId: String(i),
        name: `exp-${i}`,
        artifactLocation: `mlflow-artifacts:/${i}`,
        lifecycleStage: 'active',
        creationTime: base + i,
        lastUpdateTime: base + i,
        tags: i % 10 === 0 ? { team: `t${i % 7}` } : {},
      };
      yield toExperimentItem(experiment);
      yield toExperimentNameGuardItem(experiment.name, experiment.experimentId);
    }
  }
  await putAll(db, 'experiments', items());
  await createExperimentRepository(db).reserveIdsThrough(count);
};

/** Registered models model-1 … model-n, each with `versions` versions (run ids run<i>x<v>). */
export const loadRegistry = async (db: DbContext, sizes: CatalogSizes, base: number): Promise<void> => {
  function* items(): Generator<Item> {
    for (let i = 1; i <= sizes.models; i++) {
      const modelId = `bench${String(i).padStart(27, '0')}`;
      const name = `model-${i}`;
      const at = base + i * 10;
      yield {
        ...registeredModelKey(modelId),
        ...registeredModelListingKey(name),
        ...newRegisteredModelAttributes(modelId),
        name,
        creationTimestamp: at,
        lastUpdatedTimestamp: at + sizes.versionsPerModel,
        tags: { team: `t${i % 7}` },
        aliases: {},
        latestVersion: sizes.versionsPerModel,
        eventSeq: 1 + sizes.versionsPerModel,
      };
      yield toModelNameGuardItem(name, modelId);
      for (let v = 1; v <= sizes.versionsPerModel; v++) {
        yield toModelVersionItem({
          modelId,
          version: v,
          creationTimestamp: at + v,
          lastUpdatedTimestamp: at + v,
          currentStage: v === sizes.versionsPerModel ? 'Production' : 'None',
          source: `s3://bench/models/${name}/${v}`,
          runId: `run${i}x${v}`,
          tags: {},
          deleted: false,
        });
      }
    }
  }
  await putAll(db, 'registered models and versions', items());
};

/** `count` logged models in experiment `experimentId`, with params, tags and three metrics each. */
export const loadLoggedModels = async (db: DbContext, experimentId: string, count: number, base: number): Promise<void> => {
  const random = seededRandom(7);
  function* items(): Generator<Item> {
    for (let i = 0; i < count; i++) {
      const created = base + i * 1000;
      const metric = (key: string) => ({ key, value: random(), timestamp: created, step: 0, runId: 'benchrun' });
      const model: LoggedModel = {
        modelId: newLoggedModelId(),
        experimentId,
        name: `lm-${i + 1}`,
        artifactUri: `s3://bench/${experimentId}/models/${i}`,
        status: 'LOGGED_MODEL_READY',
        creationTimestampMs: created,
        lastUpdatedTimestampMs: created,
        modelType: 'sklearn',
        sourceRunId: 'benchrun',
        tags: { 'mlflow.source.name': 'bench.py', team: `t${i % 7}` },
        params: { alpha: String(random()), depth: String(i % 12) },
        metrics: [metric('acc'), metric('loss'), metric('f1')],
        lifecycleStage: 'active',
      };
      yield toLoggedModelItem(model);
    }
  }
  await putAll(db, 'logged models', items());
};
