import { randomBytes, randomUUID } from 'node:crypto';
import type { DynamoDBRecord } from 'aws-lambda';
import { createSnapshotStreamHandler } from '../../../functions/search/lambda-snapshots.js';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { createDynamoClient } from '../../../shared/data/dynamo-client.js';
import { ensureTable } from '../../../shared/data/ensure-table.js';
import { createLoggedModelRepository } from '../../../shared/data/logged-models/repository.js';
import { createLoggedModelSearchIndex } from '../../../shared/data/logged-models/search-index.js';
import { LOGGED_MODEL_DIRTY_ITEM, LOGGED_MODEL_SNAPSHOT_KIND } from '../../../shared/data/logged-models/search-kind.js';
import { TABLE } from '../../../shared/data/table-definition.js';
import { createRunRepository } from '../../../shared/data/runs/repository.js';
import { readDirtyMarks } from '../../../shared/data/snapshots/dirty-marks.js';
import { localSnapshotFeed } from '../../../shared/data/snapshots/local-feed.js';
import { compactSnapshot } from '../../../shared/data/snapshots/snapshot-compactor.js';
import { readSnapshotHead } from '../../../shared/data/snapshots/snapshot-store.js';
import { recordOf } from '../../../shared/domain/kernel/own-records.js';
import type { LoggedModel, RunInfo } from '../../../shared/domain/tracking/entities.js';
import { slowWire } from '../../support/slow-wire.js';
import { endpointOf, ENGINES } from '../../support/test-api.js';

const freshTable = async (engine: (typeof ENGINES)[number]) => {
  const db = { client: createDynamoClient({ endpoint: endpointOf(engine) }), tableName: `cairn-model-index-${randomUUID()}` };
  await ensureTable(db);
  return db;
};

const modelOf = (experimentId: string, creation: number, tags: Record<string, string> = {}): LoggedModel => ({
  modelId: `m-${randomBytes(16).toString('hex')}`,
  experimentId,
  name: 'model',
  artifactUri: `mlflow-artifacts:/${experimentId}/models/x/artifacts`,
  status: 'LOGGED_MODEL_READY',
  creationTimestampMs: creation,
  lastUpdatedTimestampMs: creation,
  modelType: '',
  tags,
  params: {},
  metrics: [],
  lifecycleStage: 'active',
});

const runInfo = (experimentId: string): RunInfo => {
  const runId = randomUUID().replaceAll('-', '');
  return {
    runId,
    experimentId,
    runName: 'r',
    userId: 'u',
    status: 'RUNNING',
    startTime: 1,
    artifactUri: `mlflow-artifacts:/${experimentId}/${runId}/artifacts`,
    lifecycleStage: 'active',
  };
};

const idsOf = (models: readonly LoggedModel[]) => models.map((model) => model.modelId).sort();

/** Polls `read` until `check` holds (the feed works in the background); the last value after 20 s. */
const eventually = async <T>(read: () => Promise<T>, check: (value: T) => boolean): Promise<T> => {
  let value = await read();
  for (let attempt = 0; attempt < 200 && !check(value); attempt++) {
    await sleep(100);
    value = await read();
  }
  return value;
};

type Db = Awaited<ReturnType<typeof freshTable>>;
type Repos = { models: ReturnType<typeof createLoggedModelRepository>; runs: ReturnType<typeof createRunRepository> };

/** A write held on the wire, and what a search must see of it once acknowledged. */
const SLOW_WRITES: { name: string; write: (repos: Repos, model: LoggedModel, run: RunInfo) => Promise<void>; seen: (model?: LoggedModel) => boolean }[] = [
  {
    name: 'a tag set',
    write: ({ models }, model) => models.setTags(model.modelId, [{ key: 'stage', value: 'late' }], Date.now()),
    seen: (model) => model?.tags.stage === 'late',
  },
  {
    name: 'a metric logged by a run',
    write: ({ runs }, model, run) => {
      const point = { key: 'accuracy', value: 0.97, timestamp: Date.now(), step: 1, modelId: model.modelId };
      return runs.logData(run, { metrics: [point], modelMetrics: [{ modelId: model.modelId, points: [{ ...point, runId: run.runId }] }] }, Date.now());
    },
    seen: (model) => model?.metrics.some((point) => point.key === 'accuracy' && point.value === 0.97) === true,
  },
  { name: 'a delete', write: ({ models }, model) => models.softDelete(model.modelId, Date.now()), seen: (model) => model === undefined },
];

describe.each(ENGINES)('logged model search index (%s)', (engine) => {
  it.each(SLOW_WRITES)('$name held 1.5 s on the wire while a rebuild publishes is seen by the next search, warm and cold', async ({ write, seen }) => {
    // Prepare: 3 models in a snapshot, an index warm on it, a writer whose transactions take 1.5 s to land
    const db: Db = await freshTable(engine);
    const plain = createLoggedModelRepository(db);
    const models = [1, 2, 3].map((time) => modelOf('5', time));
    for (const model of models) await plain.create(model);
    const run = runInfo('5');
    await createRunRepository(db).create(run, [], Date.now());
    await compactSnapshot(db, LOGGED_MODEL_SNAPSHOT_KIND, '5');
    const index = createLoggedModelSearchIndex(db);
    await index.modelsOf('5');
    const wire = await slowWire(endpointOf(engine));
    const slowDb = { client: createDynamoClient({ endpoint: wire.endpoint }), tableName: db.tableName };
    const slowRepos = { models: createLoggedModelRepository(slowDb), runs: createRunRepository(slowDb) };
    const target = models[0]!;

    // Act: while the write is on the wire, a search and a rebuild; then warm and cold searches
    wire.delay.ms = 1500;
    const slow = write(slowRepos, target, run);
    await sleep(200);
    const during = await index.modelsOf('5');
    const rebuilt = await compactSnapshot(db, LOGGED_MODEL_SNAPSHOT_KIND, '5');
    await slow;
    const find = (found: LoggedModel[]) => found.find((model) => model.modelId === target.modelId);
    const warm = find(await index.modelsOf('5'));
    const cold = find(await createLoggedModelSearchIndex(db).modelsOf('5'));
    await compactSnapshot(db, LOGGED_MODEL_SNAPSHOT_KIND, '5');
    const afterRebuild = find(await createLoggedModelSearchIndex(db).modelsOf('5'));
    wire.close();

    // Assess
    expect(seen(find(during))).toBe(false);
    expect(rebuilt.published).toBe(true);
    expect(seen(warm)).toBe(true);
    expect(seen(cold)).toBe(true);
    expect(seen(afterRebuild)).toBe(true);
  });

  it('drops deleted models from warm and cold searches, a rebuild keeps them gone and clears the marks', async () => {
    // Prepare
    const db = await freshTable(engine);
    const repo = createLoggedModelRepository(db);
    const models = [1, 2, 3, 4].map((time) => modelOf('6', time));
    for (const model of models) await repo.create(model);
    await compactSnapshot(db, LOGGED_MODEL_SNAPSHOT_KIND, '6');
    const warm = createLoggedModelSearchIndex(db);
    await warm.modelsOf('6');

    // Act
    await repo.softDelete(models[1]!.modelId, 10);
    await repo.softDelete(models[3]!.modelId, 10);
    const warmAfter = await warm.modelsOf('6');
    const coldAfter = await createLoggedModelSearchIndex(db).modelsOf('6');
    const rebuilt = await compactSnapshot(db, LOGGED_MODEL_SNAPSHOT_KIND, '6');
    const afterRebuild = await createLoggedModelSearchIndex(db).modelsOf('6');

    // Assess
    const kept = idsOf([models[0]!, models[2]!]);
    expect(idsOf(warmAfter)).toEqual(kept);
    expect(idsOf(coldAfter)).toEqual(kept);
    expect(rebuilt).toMatchObject({ published: true, entries: 2, marksCleared: 2 });
    expect(idsOf(afterRebuild)).toEqual(kept);
    expect((await readDirtyMarks(db, LOGGED_MODEL_SNAPSHOT_KIND, '6')).size).toBe(0);
  });

  it('keeps updates of missing and deleted models RESOURCE_DOES_NOT_EXIST, and a run drops points of a deleted model', async () => {
    // Prepare
    const db = await freshTable(engine);
    const repo = createLoggedModelRepository(db);
    const model = modelOf('7', 1);
    await repo.create(model);
    await repo.softDelete(model.modelId, 2);
    const run = runInfo('7');
    const runs = createRunRepository(db);
    await runs.create(run, [], 3);
    const point = { key: 'loss', value: 1, timestamp: 4, step: 0, modelId: model.modelId, runId: run.runId };

    // Act
    const errors = await Promise.all([
      repo.setTags(model.modelId, [{ key: 'a', value: 'b' }], 5).catch((error: unknown) => error),
      repo.setTags('m-missing', [{ key: 'a', value: 'b' }], 5).catch((error: unknown) => error),
      repo.softDelete(model.modelId, 5).catch((error: unknown) => error),
      repo.deleteTag(model.modelId, 'a', 5).catch((error: unknown) => error),
    ]);
    await runs.logData(run, { metrics: [point], modelMetrics: [{ modelId: model.modelId, points: [point] }, { modelId: 'm-missing', points: [point] }] }, 6);

    // Assess
    expect(errors.map((error) => (error as { errorCode?: string }).errorCode)).toEqual(Array(4).fill('RESOURCE_DOES_NOT_EXIST'));
    expect((await runs.get(run.runId))?.metrics.loss?.value).toBe(1);
    expect(await createLoggedModelSearchIndex(db).modelsOf('7')).toEqual([]);
  });

  it('splits a run write naming 60 models over transactions of at most 100 items, each model with its points and its mark', async () => {
    // Prepare: 60 models in a snapshot, one run
    const db = await freshTable(engine);
    const repo = createLoggedModelRepository(db);
    const models = Array.from({ length: 60 }, (_, i) => modelOf('10', i + 1));
    for (const model of models) await repo.create(model);
    await compactSnapshot(db, LOGGED_MODEL_SNAPSHOT_KIND, '10');
    const index = createLoggedModelSearchIndex(db);
    await index.modelsOf('10');
    const runs = createRunRepository(db);
    const run = runInfo('10');
    await runs.create(run, [], 1);

    // Act: one point per model (a chunk, a model append and a model mark each: about 180 items)
    const points = models.map((model, i) => ({ key: 'acc', value: i, timestamp: 5, step: 0, modelId: model.modelId, runId: run.runId }));
    await runs.logData(run, { metrics: points, modelMetrics: points.map((point) => ({ modelId: point.modelId, points: [point] })) }, 6);
    const found = await index.modelsOf('10');

    // Assess
    expect((await readDirtyMarks(db, LOGGED_MODEL_SNAPSHOT_KIND, '10')).size).toBe(60);
    expect(new Map(found.map((model) => [model.modelId, model.metrics.map((point) => point.value)]))).toEqual(
      new Map(models.map((model, i) => [model.modelId, [i]])),
    );
  });

  it('in AWS, the stream handler builds the snapshot of the experiment a logged-model mark names and clears the marks', async () => {
    // Prepare
    const db = await freshTable(engine);
    const repo = createLoggedModelRepository(db);
    const models = [1, 2, 3].map((time) => modelOf('11', time));
    for (const model of models) await repo.create(model);
    const record: DynamoDBRecord = {
      eventName: 'INSERT',
      dynamodb: { SequenceNumber: '7', NewImage: { [TABLE.entityTypeAttribute]: { S: LOGGED_MODEL_DIRTY_ITEM }, experimentId: { S: '11' } } },
    };

    // Act
    const answer = await createSnapshotStreamHandler(db, { dueAt: 3 })({ Records: [record] });

    // Assess
    expect(answer).toEqual({ batchItemFailures: [] });
    expect(await readSnapshotHead(db, LOGGED_MODEL_SNAPSHOT_KIND, '11')).toMatchObject({ version: 1, entries: 3 });
    expect((await readDirtyMarks(db, LOGGED_MODEL_SNAPSHOT_KIND, '11')).size).toBe(0);
    expect(idsOf(await createLoggedModelSearchIndex(db).modelsOf('11'))).toEqual(idsOf(models));
  });

  it('keeps param and tag keys such as __proto__ as own keys of prototype-less maps through a snapshot', async () => {
    // Prepare
    const db = await freshTable(engine);
    const model = { ...modelOf('8', 1), tags: recordOf([['__proto__', 'x'], ['constructor', 'y']]), params: recordOf([['__proto__', 'p']]) };
    await createLoggedModelRepository(db).create(model);
    await compactSnapshot(db, LOGGED_MODEL_SNAPSHOT_KIND, '8');

    // Act
    const [read] = await createLoggedModelSearchIndex(db).modelsOf('8');

    // Assess
    expect(Object.getPrototypeOf(read?.tags)).toBeNull();
    expect(Object.getPrototypeOf(read?.params)).toBeNull();
    expect(Object.entries(read?.tags ?? {}).sort()).toEqual([['__proto__', 'x'], ['constructor', 'y']]);
    expect(Object.entries(read?.params ?? {})).toEqual([['__proto__', 'p']]);
  });

  it('keeps at most maxModels in memory, dropping the least recently searched experiment, never the one searched', async () => {
    // Prepare: three experiments of 2, 3 and 4 models
    const db = await freshTable(engine);
    const repo = createLoggedModelRepository(db);
    for (const [experimentId, count] of [['a', 2], ['b', 3], ['c', 4]] as const) {
      for (let i = 0; i < count; i++) await repo.create(modelOf(experimentId, i + 1));
    }
    const index = createLoggedModelSearchIndex(db, { maxModels: 6 });

    // Act
    const sizes = [(await index.modelsOf('a')).length, (await index.modelsOf('b')).length];
    const c = await index.modelsOf('c');
    const heldAfterC = [...index.heldModels()];

    // Assess
    expect(sizes).toEqual([2, 3]);
    expect(c).toHaveLength(4);
    expect(heldAfterC).toEqual([['c', 4]]);
  });

  it('under npm start, the local feed folds new models and metric points into the snapshot without any search', async () => {
    // Prepare
    const db = await freshTable(engine);
    const feed = localSnapshotFeed(db, LOGGED_MODEL_SNAPSHOT_KIND, { dueAt: 5, delayMs: 50 });
    const repo = createLoggedModelRepository(db, { onModelMarked: feed.written });
    const runs = createRunRepository(db, { onLoggedModelMarked: feed.written });
    const run = runInfo('9');
    await runs.create(run, [], 1);

    // Act: 12 models, each given a metric point by the run
    const models = Array.from({ length: 12 }, (_, i) => modelOf('9', 100 + i));
    for (const model of models) {
      await repo.create(model);
      const point = { key: 'acc', value: 0.5, timestamp: 1, step: 0, modelId: model.modelId, runId: run.runId };
      await runs.logData(run, { metrics: [point], modelMetrics: [{ modelId: model.modelId, points: [point] }] }, 2);
    }
    const settled = await eventually(
      async () => ({ head: await readSnapshotHead(db, LOGGED_MODEL_SNAPSHOT_KIND, '9'), marks: (await readDirtyMarks(db, LOGGED_MODEL_SNAPSHOT_KIND, '9')).size }),
      ({ head, marks }) => head !== undefined && marks < 5 && head.entries + marks >= 12,
    );
    const found = await createLoggedModelSearchIndex(db).modelsOf('9');

    // Assess
    expect(settled.head?.entries).toBeGreaterThan(7);
    expect(settled.marks).toBeLessThan(5);
    expect(idsOf(found)).toEqual(idsOf(models));
    expect(found.every((model) => model.metrics.length === 1)).toBe(true);
  });
});
