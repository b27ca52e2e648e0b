import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMlrunsSource } from '../../../functions/import/mlruns-source.js';
import type {
  ImportSource,
  SourceExperiment,
  SourceLoggedModel,
  SourceMetricPoint,
  SourceRegisteredModel,
  SourceRun,
  SourceTag,
} from '../../../functions/import/source.js';
import {
  loggedModelArtifactLocation,
  runArtifactUri,
  STAGE_DELETED_INTERNAL,
  writeMlruns,
  type FixtureExperiment,
  type FixtureFiles,
  type FixtureLoggedModel,
  type FixturePoint,
  type FixtureRegisteredModel,
  type FixtureRun,
  type MlrunsFixture,
} from '../../support/mlruns-fixture.js';
import { LONG_HISTORY_POINTS, RICH_IDS, richMlrunsFixture } from '../../support/mlruns-fixture/rich.js';

// What the source must give back for each part of the fixture, stated from the fixture's own description.

const byText =
  <T>(textOf: (item: T) => string) =>
  (a: T, b: T): number =>
    textOf(a) < textOf(b) ? -1 : textOf(a) > textOf(b) ? 1 : 0;

const tagsOf = (record: Record<string, string> | undefined): SourceTag[] =>
  Object.entries(record ?? {})
    .map(([key, value]) => ({ key, value }))
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));

const experimentOf = (rootUri: string, experiment: FixtureExperiment): SourceExperiment => ({
  experimentId: experiment.id,
  name: experiment.name,
  artifactLocation: experiment.artifactLocation ?? `${rootUri}/${experiment.id}`,
  lifecycleStage: experiment.deleted === true ? 'deleted' : 'active',
  creationTime: experiment.creationTime,
  lastUpdateTime: experiment.lastUpdateTime ?? experiment.creationTime,
  tags: tagsOf(experiment.tags),
});

const runOf = (rootUri: string, experiment: FixtureExperiment, run: FixtureRun): SourceRun => {
  const runName = run.name ?? run.tags?.['mlflow.runName'];
  return {
    runId: run.id,
    experimentId: experiment.id,
    ...(runName === undefined ? {} : { runName }),
    ...(run.userId === undefined ? {} : { userId: run.userId }),
    status: run.status ?? 'RUNNING',
    startTime: run.startTime,
    endTime: run.endTime,
    artifactUri: runArtifactUri(rootUri, experiment, run),
    lifecycleStage: run.deleted === true || experiment.deleted === true ? 'deleted' : 'active',
    params: tagsOf(run.params),
    tags: tagsOf(run.tags),
    metricKeys: Object.keys(run.metrics ?? {}).sort(),
    datasets: [...(run.datasets ?? [])].sort(byText((dataset) => `${dataset.name}\u0000${dataset.digest}`)).map((dataset) => ({
      name: dataset.name,
      digest: dataset.digest,
      sourceType: dataset.sourceType,
      source: dataset.source,
      ...(dataset.schema === undefined ? {} : { schema: dataset.schema }),
      ...(dataset.profile === undefined ? {} : { profile: dataset.profile }),
      tags: tagsOf(dataset.tags),
    })),
    modelInputs: [...(run.modelInputs ?? [])].sort(),
    modelOutputs: [...(run.modelOutputs ?? [])].sort(byText((output) => output.modelId)),
  };
};

const pointsOf = (key: string, points: readonly FixturePoint[]): SourceMetricPoint[] =>
  points.map(({ timestamp, value, step, datasetName, datasetDigest }) => ({
    key,
    timestamp,
    value,
    step,
    ...(datasetName === undefined ? {} : { datasetName, datasetDigest }),
  }));

const loggedModelOf = (rootUri: string, experiment: FixtureExperiment, model: FixtureLoggedModel): SourceLoggedModel => ({
  modelId: model.id,
  experimentId: experiment.id,
  name: model.name,
  artifactLocation: loggedModelArtifactLocation(rootUri, experiment, model),
  creationTimestamp: model.creationTimestamp,
  lastUpdatedTimestamp: model.lastUpdatedTimestamp ?? model.creationTimestamp,
  ...(model.sourceRunId === undefined ? {} : { sourceRunId: model.sourceRunId }),
  status: model.status ?? 'READY',
  ...(model.statusMessage === undefined ? {} : { statusMessage: model.statusMessage }),
  ...(model.modelType === undefined ? {} : { modelType: model.modelType }),
  lifecycleStage: model.deleted === true ? 'deleted' : 'active',
  params: tagsOf(model.params),
  tags: tagsOf(model.tags),
  metrics: Object.entries(model.metrics ?? {})
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .flatMap(([key, points]) =>
      points.map(({ runId, ...point }) => ({ ...pointsOf(key, [point])[0], modelId: model.id, runId }) as SourceMetricPoint),
    ),
});

const registeredModelOf = (model: FixtureRegisteredModel): SourceRegisteredModel => ({
  name: model.name,
  creationTimestamp: model.creationTimestamp,
  lastUpdatedTimestamp: model.lastUpdatedTimestamp ?? model.creationTimestamp,
  ...(model.description === undefined ? {} : { description: model.description }),
  tags: tagsOf(model.tags),
  aliases: Object.entries(model.aliases ?? {})
    .map(([alias, version]) => ({ alias, version }))
    .sort((a, b) => (a.alias < b.alias ? -1 : 1)),
  versions: model.versions.map((version) => ({
    version: version.version,
    creationTimestamp: version.creationTimestamp,
    lastUpdatedTimestamp: version.lastUpdatedTimestamp ?? version.creationTimestamp,
    ...(version.userId === undefined ? {} : { userId: version.userId }),
    currentStage: version.deleted === true ? STAGE_DELETED_INTERNAL : version.stage ?? 'None',
    ...(version.description === undefined ? {} : { description: version.description }),
    source: version.source,
    ...(version.runId === undefined ? {} : { runId: version.runId }),
    ...(version.runLink === undefined ? {} : { runLink: version.runLink }),
    status: 'READY',
    ...(version.modelId === undefined ? {} : { modelId: version.modelId }),
    tags: tagsOf(version.tags),
    deleted: version.deleted === true,
  })),
});

const collect = async <T>(items: AsyncIterable<T>): Promise<T[]> => {
  const all: T[] = [];
  for await (const item of items) all.push(item);
  return all;
};

const bytesOf = async (stream: NodeJS.ReadableStream): Promise<Buffer> => {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.from(chunk as Buffer));
  return Buffer.concat(chunks);
};

const filesOf = (files: FixtureFiles | undefined) =>
  Object.entries(files ?? {})
    .map(([path, content]) => ({ path, bytes: Buffer.from(content) }))
    .sort((a, b) => (a.path < b.path ? -1 : 1));

describe('mlruns folder source', () => {
  let tmp: string;
  let folder: string;
  let rootUri: string;
  let fixture: MlrunsFixture;
  let warnings: string[];
  let source: ImportSource;

  const experimentSpec = (id: string) => fixture.experiments.find((experiment) => experiment.id === id)!;
  const runSpec = (id: string) => {
    for (const experiment of fixture.experiments) {
      const run = experiment.runs?.find((candidate) => candidate.id === id);
      if (run !== undefined) return { experiment, run };
    }
    throw new Error(`no run ${id}`);
  };
  const fresh = () => createMlrunsSource(folder, { onWarning: (message) => warnings.push(message), pageSize: 4096 });

  beforeAll(async () => {
    tmp = await mkdtemp(join(tmpdir(), 'cairn-mlruns-'));
    folder = join(tmp, 'mlruns');
    fixture = richMlrunsFixture();
    rootUri = await writeMlruns(folder, fixture);
    warnings = [];
    source = fresh();
  });

  afterAll(async () => {
    await rm(tmp, { recursive: true, force: true });
  });

  it('gives every experiment, the one in .trash as deleted, with its folder tags (nested keys, newlines)', async () => {
    // Act
    const experiments = await collect(source.experiments());

    // Assess
    const expected = fixture.experiments.map((experiment) => experimentOf(rootUri, experiment));
    expect(experiments.sort(byText((e) => e.experimentId))).toEqual(expected.sort(byText((e) => e.experimentId)));
    expect(experiments.find((experiment) => experiment.experimentId === '2')?.lifecycleStage).toBe('deleted');
    expect(warnings).toEqual([]);
  });

  it('gives every run of every experiment with its info, params, tags, metric keys, datasets and model links', async () => {
    for (const experiment of fixture.experiments) {
      // Act
      const runs = await collect(source.runs(experiment.id));

      // Assess
      const expected = (experiment.runs ?? []).map((run) => runOf(rootUri, experiment, run));
      expect(runs.sort(byText((run) => run.runId))).toEqual(expected.sort(byText((run) => run.runId)));
    }
    expect(warnings).toEqual([]);
  });

  it('reads MLflow 1.x run metadata: name from the mlflow.runName tag, int experiment id, active by default', async () => {
    // Act
    const runs = await collect(source.runs('0'));

    // Assess
    const legacy = runs.find((run) => run.runId === RICH_IDS.legacyRun);
    expect(legacy).toMatchObject({ runName: 'from-mlflow-1', experimentId: '0', status: 'KILLED', lifecycleStage: 'active' });
  });

  it('marks deleted runs and the runs of a deleted experiment as deleted', async () => {
    // Act
    const live = await collect(source.runs('418327502894961023'));
    const trashed = await collect(source.runs('2'));

    // Assess
    expect(live.find((run) => run.runId === RICH_IDS.deletedRun)?.lifecycleStage).toBe('deleted');
    expect(trashed.map((run) => [run.runId, run.lifecycleStage])).toEqual([[RICH_IDS.trashedRun, 'deleted']]);
  });

  it('streams a 100,000-point history in pages, every point as written', async () => {
    // Arrange
    const { run } = runSpec(RICH_IDS.trainingRun);

    // Act
    const pages = await collect(fresh().metricHistory(RICH_IDS.trainingRun, 'loss'));

    // Assess
    expect(pages.every((page) => page.length > 0 && page.length <= 4096)).toBe(true);
    const points = pages.flat();
    expect(points).toHaveLength(LONG_HISTORY_POINTS);
    expect(points).toEqual(pointsOf('loss', run.metrics!['loss']!));
  });

  it('reads NaN, ±Infinity, exponents and int-written values as Python wrote them', async () => {
    // Arrange
    const { run } = runSpec(RICH_IDS.trainingRun);

    // Act
    const points = (await collect(source.metricHistory(RICH_IDS.trainingRun, 'special'))).flat();

    // Assess
    expect(points).toEqual(pointsOf('special', run.metrics!['special']!));
    expect(points.map((point) => point.value).slice(0, 3)).toEqual([Number.NaN, Infinity, -Infinity]);
  });

  it('reads nested metric keys, dataset-tagged points, and MLflow 1.x runs; an unknown key yields nothing', async () => {
    // Arrange
    const { run } = runSpec(RICH_IDS.trainingRun);
    const { run: legacy } = runSpec(RICH_IDS.legacyRun);

    // Act
    const nested = (await collect(source.metricHistory(RICH_IDS.trainingRun, 'train/accuracy'))).flat();
    const evaluation = (await collect(source.metricHistory(RICH_IDS.trainingRun, 'eval_loss'))).flat();
    const old = (await collect(source.metricHistory(RICH_IDS.legacyRun, 'legacy'))).flat();
    const unknown = await collect(source.metricHistory(RICH_IDS.trainingRun, 'nope'));

    // Assess
    expect(nested).toEqual(pointsOf('train/accuracy', run.metrics!['train/accuracy']!));
    expect(evaluation).toEqual(pointsOf('eval_loss', run.metrics!['eval_loss']!));
    expect(evaluation[0]).toMatchObject({ datasetName: 'iris', datasetDigest: 'a1b2c3', step: 10 });
    expect(old).toEqual(pointsOf('legacy', legacy.metrics!['legacy']!));
    expect(unknown).toEqual([]);
  });

  it('finds a run of a deleted experiment by id without listing runs first', async () => {
    // Act
    const pages = await collect(fresh().metricHistory(RICH_IDS.trashedRun, 'none'));

    // Assess
    expect(pages).toEqual([]);
    await expect(collect(fresh().metricHistory('0123456789abcdef0123456789abcdef', 'x'))).rejects.toThrow(/not in/);
  });

  it('gives logged models, deleted ones included, with params, tags and every metric point with its run', async () => {
    // Arrange
    const experiment = experimentSpec('418327502894961023');

    // Act
    const models = await collect(source.loggedModels(experiment.id));

    // Assess
    expect(models).toEqual(experiment.loggedModels!.map((model) => loggedModelOf(rootUri, experiment, model)));
    expect(models.find((model) => model.modelId === RICH_IDS.failedModel)).toMatchObject({
      lifecycleStage: 'deleted',
      status: 'FAILED',
      statusMessage: 'upload failed: disk full',
    });
    expect(await collect(source.loggedModels('3'))).toEqual([]);
  });

  it('gives registered models with every version (a deleted one as Deleted_Internal), tags and aliases', async () => {
    // Act
    const models = await collect(source.registeredModels());

    // Assess
    const expected = fixture.registeredModels!.map(registeredModelOf);
    expect(models.sort(byText((model) => model.name))).toEqual(expected.sort(byText((model) => model.name)));
    const deleted = models.find((model) => model.name === 'fraud-detector')?.versions.find((version) => version.version === 3);
    expect(deleted).toMatchObject({ deleted: true, currentStage: 'Deleted_Internal' });
  });

  it('lists a run\'s artifacts with sizes and streams their bytes (non-ASCII paths, empty and binary files)', async () => {
    // Arrange
    const { experiment, run } = runSpec(RICH_IDS.trainingRun);
    const artifactUri = runArtifactUri(rootUri, experiment, run);

    // Act
    const listed = await collect(source.artifacts(artifactUri));
    const contents = await Promise.all(listed.map(async (file) => bytesOf(await source.readArtifact(artifactUri, file.path))));

    // Assess
    const expected = filesOf(run.artifacts);
    expect(listed).toEqual(expected.map(({ path, bytes }) => ({ path, size: bytes.length })));
    expect(contents).toEqual(expected.map(({ bytes }) => bytes));
  });

  it.each([
    ['a deleted experiment (moved to .trash, URI unchanged)', RICH_IDS.trashedRun],
    ['a folder copied from another machine (file URI)', RICH_IDS.movedRun],
    ['an old plain path of another machine', RICH_IDS.plainPathRun],
    ['a deleted run', RICH_IDS.deletedRun],
  ])('finds the artifacts of %s inside this folder', async (_case, runId) => {
    // Arrange
    const { experiment, run } = runSpec(runId);
    const artifactUri = runArtifactUri(rootUri, experiment, run);

    // Act
    const listed = await collect(source.artifacts(artifactUri));
    const first = listed[0]!;
    const bytes = await bytesOf(await source.readArtifact(artifactUri, first.path));

    // Assess
    const expected = filesOf(run.artifacts);
    expect(listed).toEqual(expected.map(({ path, bytes: content }) => ({ path, size: content.length })));
    expect(bytes).toEqual(expected[0]!.bytes);
  });

  it('finds a logged model\'s artifacts; a run that logged none has none', async () => {
    // Arrange
    const experiment = experimentSpec('418327502894961023');
    const model = experiment.loggedModels![0]!;
    const { run: child } = runSpec(RICH_IDS.childRun);

    // Act
    const modelFiles = await collect(source.artifacts(loggedModelArtifactLocation(rootUri, experiment, model)));
    const childFiles = await collect(source.artifacts(runArtifactUri(rootUri, experiment, child)));

    // Assess
    expect(modelFiles).toEqual(filesOf(model.artifacts).map(({ path, bytes }) => ({ path, size: bytes.length })));
    expect(childFiles).toEqual([]);
  });

  it('refuses artifact paths that leave the root and artifact roots that are not local', async () => {
    // Arrange
    const { experiment, run } = runSpec(RICH_IDS.trainingRun);
    const artifactUri = runArtifactUri(rootUri, experiment, run);

    // Act & Assess
    await expect(source.readArtifact(artifactUri, '../meta.yaml')).rejects.toThrow(/unsafe/);
    await expect(collect(source.artifacts('s3://bucket/1/abc/artifacts'))).rejects.toThrow(/not in a local folder/);
  });

  it('reads mlflow-artifacts: URIs from the server\'s artifacts destination when given', async () => {
    // Arrange
    const served = createMlrunsSource(folder, { mlflowArtifactsRoot: folder });
    const uri = `mlflow-artifacts:/418327502894961023/${RICH_IDS.trainingRun}/artifacts`;

    // Act
    const listed = await collect(served.artifacts(uri));

    // Assess
    expect(listed.map((file) => file.path)).toContain('model/MLmodel');
  });
});
