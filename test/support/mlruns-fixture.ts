import { createHash } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { pyYamlDump, pythonFloat, type YamlValue } from './mlruns-fixture/python-text.js';
import type {
  FixtureExperiment,
  FixtureFiles,
  FixtureLoggedModel,
  FixturePoint,
  FixtureRegisteredModel,
  FixtureRun,
  FixtureRunStatus,
  MlrunsFixture,
} from './mlruns-fixture/types.js';

export type * from './mlruns-fixture/types.js';

/**
 * Writes an `mlruns` folder exactly as MLflow's file store lays it out (`mlflow/store/tracking/file_store.py`,
 * `mlflow/store/model_registry/file_store.py`, MLflow 3), from a compact description, so import tests need no
 * Python. Artifacts are written inside the folder, where MLflow puts them when the store is also the artifact
 * root; `artifactLocation` on an experiment only changes the URIs recorded (a folder copied from elsewhere).
 */

/** `RunStatus` numbers MLflow persists (`_make_persisted_run_info_dict`). */
const RUN_STATUS_NUMBER: Record<FixtureRunStatus, number> = {
  RUNNING: 1,
  SCHEDULED: 2,
  FINISHED: 3,
  FAILED: 4,
  KILLED: 5,
};
const SOURCE_TYPE_LOCAL = 4;
export const STAGE_DELETED_INTERNAL = 'Deleted_Internal';

const md5 = (...parts: string[]): string => {
  const hash = createHash('md5');
  for (const part of parts) hash.update(part, 'utf8');
  return hash.digest('hex');
};

/** A deterministic run id (32 hex digits, like `uuid4().hex`). */
export const fixtureRunId = (label: string): string => md5('run:', label);
/** A deterministic logged model id (`m-` + 32 hex digits). */
export const fixtureModelId = (label: string): string => `m-${md5('model:', label)}`;
/** MLflow's dataset folder name: md5 of name then digest (`FileStore._get_dataset_id`). */
export const datasetFolderId = (name: string, digest: string): string => md5(name, digest);

const writeText = async (path: string, content: string | Uint8Array): Promise<void> => {
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, content);
};

const writeMeta = (dir: string, data: { [key: string]: YamlValue }) => writeText(join(dir, 'meta.yaml'), pyYamlDump(data));

/** Key/value files (params, tags, aliases): a `/` in a key makes nested folders; no trailing newline. */
const writeKeyValues = async (dir: string, values: Record<string, string> | undefined): Promise<void> => {
  for (const [key, value] of Object.entries(values ?? {})) await writeText(join(dir, ...key.split('/')), value);
};

const writeFiles = async (dir: string, files: FixtureFiles | undefined): Promise<void> => {
  for (const [path, content] of Object.entries(files ?? {})) await writeText(join(dir, ...path.split('/')), content);
};

const pointText = (point: FixturePoint): string => point.text ?? pythonFloat(point.value);
const datasetSuffix = (point: FixturePoint): string =>
  point.datasetName !== undefined && point.datasetDigest !== undefined
    ? ` ${point.datasetName} ${point.datasetDigest}`
    : '';

const writeLines = async (path: string, lines: readonly string[]): Promise<void> =>
  writeText(path, lines.length === 0 ? '' : `${lines.join('\n')}\n`);

const experimentArtifactLocation = (rootUri: string, experiment: FixtureExperiment): string =>
  experiment.artifactLocation ?? `${rootUri}/${experiment.id}`;

export const runArtifactUri = (rootUri: string, experiment: FixtureExperiment, run: FixtureRun): string =>
  `${experimentArtifactLocation(rootUri, experiment)}/${run.id}/artifacts`;

export const loggedModelArtifactLocation = (
  rootUri: string,
  experiment: FixtureExperiment,
  model: FixtureLoggedModel,
): string => `${experimentArtifactLocation(rootUri, experiment)}/models/${model.id}/artifacts`;

const runMeta = (rootUri: string, experiment: FixtureExperiment, run: FixtureRun): { [key: string]: YamlValue } => {
  const deleted = run.deleted === true || experiment.deleted === true;
  const meta: { [key: string]: YamlValue } = {
    artifact_uri: runArtifactUri(rootUri, experiment, run),
    end_time: run.endTime ?? null,
    entry_point_name: '',
    experiment_id: experiment.id,
    lifecycle_stage: deleted ? 'deleted' : 'active',
    run_id: run.id,
    run_name: run.name ?? '',
    run_uuid: run.id,
    source_name: '',
    source_type: SOURCE_TYPE_LOCAL,
    source_version: '',
    start_time: run.startTime,
    status: RUN_STATUS_NUMBER[run.status ?? 'RUNNING'],
    tags: [],
    user_id: run.userId ?? null,
    deleted_time: deleted ? run.endTime ?? run.startTime : null,
  };
  if (run.legacyMeta) {
    delete meta['run_name'];
    delete meta['lifecycle_stage'];
    delete meta['deleted_time'];
    const legacyId = Number(experiment.id);
    if (!Number.isSafeInteger(legacyId)) throw new Error(`MLflow 1.x experiment ids were small ints, not ${experiment.id}`);
    meta['experiment_id'] = legacyId;
  }
  return meta;
};

const writeRun = async (rootUri: string, experimentDir: string, experiment: FixtureExperiment, run: FixtureRun) => {
  const runDir = join(experimentDir, run.id);
  await writeMeta(runDir, runMeta(rootUri, experiment, run));
  // create_run makes these three even when nothing is logged.
  for (const folder of ['metrics', 'params', 'artifacts']) await mkdir(join(runDir, folder), { recursive: true });
  await writeKeyValues(join(runDir, 'params'), run.params);
  await writeKeyValues(join(runDir, 'tags'), run.tags);
  for (const [key, points] of Object.entries(run.metrics ?? {})) {
    const lines = points.map((p) => `${p.timestamp} ${pointText(p)} ${p.step}${datasetSuffix(p)}`);
    await writeLines(join(runDir, 'metrics', ...key.split('/')), lines);
  }
  for (const dataset of run.datasets ?? []) {
    const datasetId = datasetFolderId(dataset.name, dataset.digest);
    const datasetDir = join(experimentDir, 'datasets', datasetId);
    await writeMeta(datasetDir, {
      digest: dataset.digest,
      name: dataset.name,
      profile: dataset.profile ?? null,
      schema: dataset.schema ?? null,
      source: dataset.source,
      source_type: dataset.sourceType,
    });
    // MLflow writes the source id as destination_id too; kept, since real folders carry it.
    await writeMeta(join(runDir, 'inputs', md5(datasetId, run.id)), {
      destination_id: datasetId,
      destination_type: 'RUN',
      source_id: datasetId,
      source_type: 'DATASET',
      tags: dataset.tags ?? {},
    });
  }
  for (const modelId of run.modelInputs ?? []) {
    await writeMeta(join(runDir, 'inputs', md5(modelId, run.id)), {
      destination_id: modelId,
      destination_type: 'RUN',
      source_id: modelId,
      source_type: 'MODEL',
      tags: {},
    });
  }
  for (const output of run.modelOutputs ?? []) {
    await writeMeta(join(runDir, 'outputs', output.modelId), {
      destination_id: output.modelId,
      destination_type: 'MODEL_OUTPUT',
      source_id: output.modelId,
      source_type: 'RUN_OUTPUT',
      step: output.step,
      tags: {},
    });
  }
  await writeFiles(join(runDir, 'artifacts'), run.artifacts);
};

const writeLoggedModel = async (
  rootUri: string,
  experimentDir: string,
  experiment: FixtureExperiment,
  model: FixtureLoggedModel,
) => {
  const modelDir = join(experimentDir, 'models', model.id);
  await writeMeta(modelDir, {
    artifact_location: loggedModelArtifactLocation(rootUri, experiment, model),
    creation_timestamp: model.creationTimestamp,
    experiment_id: experiment.id,
    last_updated_timestamp: model.lastUpdatedTimestamp ?? model.creationTimestamp,
    lifecycle_stage: model.deleted === true ? 'deleted' : 'active',
    model_id: model.id,
    model_type: model.modelType ?? null,
    name: model.name,
    source_run_id: model.sourceRunId ?? null,
    status: model.status ?? 'READY',
    status_message: model.statusMessage ?? null,
  });
  for (const folder of ['metrics', 'params']) await mkdir(join(modelDir, folder), { recursive: true });
  await writeKeyValues(join(modelDir, 'params'), model.params);
  await writeKeyValues(join(modelDir, 'tags'), model.tags);
  for (const [key, points] of Object.entries(model.metrics ?? {})) {
    const lines = points.map((p) => `${p.timestamp} ${pointText(p)} ${p.step} ${p.runId}${datasetSuffix(p)}`);
    await writeLines(join(modelDir, 'metrics', ...key.split('/')), lines);
  }
  await writeFiles(join(modelDir, 'artifacts'), model.artifacts);
};

const writeExperiment = async (folder: string, rootUri: string, experiment: FixtureExperiment) => {
  const experimentDir = join(folder, ...(experiment.deleted === true ? ['.trash'] : []), experiment.id);
  const meta: { [key: string]: YamlValue } = {
    artifact_location: experimentArtifactLocation(rootUri, experiment),
    creation_time: experiment.creationTime,
    experiment_id: experiment.id,
    last_update_time: experiment.lastUpdateTime ?? experiment.creationTime,
    lifecycle_stage: experiment.deleted === true ? 'deleted' : 'active',
    name: experiment.name,
  };
  // delete_experiment rewrites meta.yaml from the whole entity, tags included, before moving it to .trash.
  if (experiment.deleted === true) meta['tags'] = { ...(experiment.tags ?? {}) };
  await writeMeta(experimentDir, meta);
  await writeKeyValues(join(experimentDir, 'tags'), experiment.tags);
  for (const run of experiment.runs ?? []) await writeRun(rootUri, experimentDir, experiment, run);
  for (const model of experiment.loggedModels ?? []) await writeLoggedModel(rootUri, experimentDir, experiment, model);
};

const writeRegisteredModel = async (folder: string, model: FixtureRegisteredModel) => {
  const modelDir = join(folder, 'models', model.name);
  await writeMeta(modelDir, {
    aliases: Object.fromEntries(Object.entries(model.aliases ?? {}).map(([alias, v]) => [alias, String(v)])),
    creation_timestamp: model.creationTimestamp,
    description: model.description ?? null,
    last_updated_timestamp: model.lastUpdatedTimestamp ?? model.creationTimestamp,
    name: model.name,
  });
  await writeKeyValues(join(modelDir, 'tags'), model.tags);
  const aliases = Object.entries(model.aliases ?? {}).map(([alias, version]) => [alias, String(version)]);
  await writeKeyValues(join(modelDir, 'aliases'), Object.fromEntries(aliases));
  for (const version of model.versions) {
    const versionDir = join(modelDir, `version-${version.version}`);
    await writeMeta(versionDir, {
      creation_timestamp: version.creationTimestamp,
      current_stage: version.deleted === true ? STAGE_DELETED_INTERNAL : version.stage ?? 'None',
      description: version.description ?? null,
      last_updated_timestamp: version.lastUpdatedTimestamp ?? version.creationTimestamp,
      model_id: version.modelId ?? null,
      name: model.name,
      run_id: version.runId ?? null,
      run_link: version.runLink ?? null,
      source: version.source,
      status: 'READY',
      status_message: null,
      storage_location: version.source,
      user_id: version.userId ?? null,
      version: version.version,
    });
    await writeKeyValues(join(versionDir, 'tags'), version.tags);
  }
};

/** The file URI MLflow records for a folder (`path_to_local_file_uri`). */
export const folderUri = (folder: string): string => pathToFileURL(folder).href;

/** Writes the folder (which should not exist yet) and returns its root file URI. */
export const writeMlruns = async (folder: string, fixture: MlrunsFixture): Promise<string> => {
  const rootUri = folderUri(folder);
  await mkdir(join(folder, '.trash'), { recursive: true });
  await mkdir(join(folder, 'models'), { recursive: true });
  for (const experiment of fixture.experiments) await writeExperiment(folder, rootUri, experiment);
  for (const model of fixture.registeredModels ?? []) await writeRegisteredModel(folder, model);
  return rootUri;
};
