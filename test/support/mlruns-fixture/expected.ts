import type {
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
  type FixtureExperiment,
  type FixtureFiles,
  type FixtureLoggedModel,
  type FixturePoint,
  type FixtureRegisteredModel,
  type FixtureRun,
} from '../mlruns-fixture.js';

/**
 * What an import source must give for a fixture, in MLflow's terms (`functions/import/source.ts`), stated from
 * the fixture's description alone: the mlruns source's tests compare against it, and an import's `verify` can
 * too. Lists are in the order the source gives them: keys sorted, datasets by name then digest.
 */

export const byText =
  <T>(textOf: (item: T) => string) =>
  (a: T, b: T): number =>
    textOf(a) < textOf(b) ? -1 : textOf(a) > textOf(b) ? 1 : 0;

export const tagsOf = (record: Record<string, string> | undefined): SourceTag[] =>
  Object.entries(record ?? {})
    .map(([key, value]) => ({ key, value }))
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));

export const experimentOf = (rootUri: string, experiment: FixtureExperiment): SourceExperiment => ({
  experimentId: experiment.id,
  name: experiment.name,
  artifactLocation: experiment.artifactLocation ?? `${rootUri}/${experiment.id}`,
  lifecycleStage: experiment.deleted === true ? 'deleted' : 'active',
  creationTime: experiment.creationTime,
  lastUpdateTime: experiment.lastUpdateTime ?? experiment.creationTime,
  tags: tagsOf(experiment.tags),
});

export const runOf = (rootUri: string, experiment: FixtureExperiment, run: FixtureRun): SourceRun => {
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

export const pointsOf = (key: string, points: readonly FixturePoint[]): SourceMetricPoint[] =>
  points.map(({ timestamp, value, step, datasetName, datasetDigest }) => ({
    key,
    timestamp,
    value,
    step,
    ...(datasetName === undefined ? {} : { datasetName, datasetDigest }),
  }));

export const loggedModelOf = (rootUri: string, experiment: FixtureExperiment, model: FixtureLoggedModel): SourceLoggedModel => ({
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

export const registeredModelOf = (model: FixtureRegisteredModel): SourceRegisteredModel => ({
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

export const filesOf = (files: FixtureFiles | undefined) =>
  Object.entries(files ?? {})
    .map(([path, content]) => ({ path, bytes: Buffer.from(content) }))
    .sort((a, b) => (a.path < b.path ? -1 : 1));
