import { join } from 'node:path';
import type {
  LifecycleStage,
  SourceDatasetInput,
  SourceExperiment,
  SourceLoggedModel,
  SourceMetricPoint,
  SourceRun,
} from '../source.js';
import { keyPath, listFilesRecursive, listSubfolders, readKeyValueFolder, readLineBatches } from './files.js';
import { metaNumber, metaString, metaStringMap, readMetaFile, type Meta } from './meta-yaml.js';
import { parseModelMetricLine } from './metric-lines.js';

/**
 * Reading MLflow's tracking file store (`mlflow/store/tracking/file_store.py`):
 *   <root>/<experiment id>/meta.yaml, tags/<key>          an active experiment
 *   <root>/.trash/<experiment id>/…                       a deleted one (moved there whole, meta says `deleted`)
 *   <experiment>/<run id>/meta.yaml, params/, tags/, metrics/, inputs/<id>/meta.yaml, outputs/<model id>/meta.yaml
 *   <experiment>/datasets/<md5(name+digest)>/meta.yaml    datasets that run inputs point at
 *   <experiment>/models/<model id>/meta.yaml, params/, tags/, metrics/   MLflow 3 logged models
 * `tags`, `datasets`, `traces` and `models` are reserved names inside an experiment, never runs.
 */

export const TRASH_FOLDER = '.trash';
export const META_FILE = 'meta.yaml';
const RESERVED_EXPERIMENT_FOLDERS = new Set(['tags', 'datasets', 'traces', 'models']);
/** The registry's folder at the root, beside the experiments (`mlflow/store/model_registry/file_store.py`). */
export const REGISTRY_FOLDER = 'models';

/** `RunStatus` as MLflow persists it: the protobuf enum number (`_make_persisted_run_info_dict`). */
const RUN_STATUS_BY_NUMBER: Record<number, SourceRun['status']> = {
  1: 'RUNNING',
  2: 'SCHEDULED',
  3: 'FINISHED',
  4: 'FAILED',
  5: 'KILLED',
};
const RUN_STATUS_NAMES = new Set<string>(Object.values(RUN_STATUS_BY_NUMBER));

export type Warn = (message: string) => void;

export interface ExperimentFolder {
  readonly experimentId: string;
  readonly dir: string;
  readonly inTrash: boolean;
}

const compareText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

const lifecycleOf = (meta: Meta, fallback: LifecycleStage): LifecycleStage => {
  const stage = metaString(meta, 'lifecycle_stage');
  return stage === 'deleted' ? 'deleted' : stage === 'active' ? 'active' : fallback;
};

/** Every experiment folder, active ones first, as MLflow lists them (the registry's `models` folder excluded). */
export const listExperimentFolders = async (root: string): Promise<ExperimentFolder[]> => {
  const active = (await listSubfolders(root)).filter((name) => name !== TRASH_FOLDER && name !== REGISTRY_FOLDER);
  const deleted = await listSubfolders(join(root, TRASH_FOLDER));
  return [
    ...active.map((experimentId) => ({ experimentId, dir: join(root, experimentId), inTrash: false })),
    ...deleted.map((experimentId) => ({ experimentId, dir: join(root, TRASH_FOLDER, experimentId), inTrash: true })),
  ];
};

/**
 * One experiment, or undefined (with a warning) where MLflow would skip it: no meta.yaml, or an id in it that
 * is not its folder's. Tags come from the tags folder only: the `tags` MLflow leaves in meta.yaml after a
 * rename or delete are a stale copy.
 */
export const readExperiment = async (folder: ExperimentFolder, warn: Warn): Promise<SourceExperiment | undefined> => {
  const meta = await readMetaFile(join(folder.dir, META_FILE));
  if (meta === undefined) {
    warn(`skipped ${folder.dir}: no ${META_FILE} (not an experiment)`);
    return undefined;
  }
  const experimentId = metaString(meta, 'experiment_id');
  if (experimentId !== folder.experimentId) {
    warn(`skipped ${folder.dir}: its ${META_FILE} names experiment ${String(experimentId)}`);
    return undefined;
  }
  return {
    experimentId,
    name: metaString(meta, 'name') ?? '',
    artifactLocation: metaString(meta, 'artifact_location') ?? '',
    lifecycleStage: lifecycleOf(meta, folder.inTrash ? 'deleted' : 'active'),
    creationTime: metaNumber(meta, 'creation_time'),
    lastUpdateTime: metaNumber(meta, 'last_update_time'),
    tags: await readKeyValueFolder(join(folder.dir, 'tags')),
  };
};

/** The folders of an experiment that may be runs. */
export const listRunFolders = async (experimentDir: string): Promise<string[]> =>
  (await listSubfolders(experimentDir)).filter((name) => !RESERVED_EXPERIMENT_FOLDERS.has(name));

const runStatusOf = (meta: Meta): SourceRun['status'] | undefined => {
  const status = meta['status'];
  if (status === undefined || status === null) return 'RUNNING';
  if (typeof status === 'number') return RUN_STATUS_BY_NUMBER[status];
  return RUN_STATUS_NAMES.has(String(status)) ? (String(status) as SourceRun['status']) : undefined;
};

interface RunLinks {
  readonly datasets: SourceDatasetInput[];
  readonly modelInputs: string[];
}

const readRunInputs = async (runDir: string, experimentDir: string, warn: Warn): Promise<RunLinks> => {
  const datasets: SourceDatasetInput[] = [];
  const modelInputs: string[] = [];
  for (const inputId of await listSubfolders(join(runDir, 'inputs'))) {
    const input = await readMetaFile(join(runDir, 'inputs', inputId, META_FILE));
    if (input === undefined) continue;
    const sourceType = metaString(input, 'source_type');
    const sourceId = metaString(input, 'source_id') ?? '';
    if (sourceType === 'MODEL') {
      modelInputs.push(sourceId);
      continue;
    }
    if (sourceType !== 'DATASET') continue;
    const dataset = await readMetaFile(join(experimentDir, 'datasets', sourceId, META_FILE));
    if (dataset === undefined) {
      warn(`${runDir}: input ${inputId} points at dataset ${sourceId}, which the experiment lacks; skipped`);
      continue;
    }
    const schema = metaString(dataset, 'schema');
    const profile = metaString(dataset, 'profile');
    datasets.push({
      name: metaString(dataset, 'name') ?? '',
      digest: metaString(dataset, 'digest') ?? '',
      sourceType: metaString(dataset, 'source_type') ?? '',
      source: metaString(dataset, 'source') ?? '',
      ...(schema === undefined ? {} : { schema }),
      ...(profile === undefined ? {} : { profile }),
      tags: Object.entries(metaStringMap(input, 'tags'))
        .map(([key, value]) => ({ key, value }))
        .sort((a, b) => compareText(a.key, b.key)),
    });
  }
  // MLflow lists inputs in directory order (their folders are hashes); sorted here so readings agree.
  datasets.sort((a, b) => compareText(`${a.name}\u0000${a.digest}`, `${b.name}\u0000${b.digest}`));
  return { datasets, modelInputs: modelInputs.sort(compareText) };
};

/** MLflow writes the model's id as both source and destination of an output (a quirk it also reads back). */
const readRunOutputs = async (runDir: string): Promise<SourceRun['modelOutputs']> => {
  const outputs: { modelId: string; step: number }[] = [];
  for (const outputId of await listSubfolders(join(runDir, 'outputs'))) {
    const output = await readMetaFile(join(runDir, 'outputs', outputId, META_FILE));
    if (output === undefined || metaString(output, 'destination_type') !== 'MODEL_OUTPUT') continue;
    outputs.push({
      modelId: metaString(output, 'destination_id') ?? metaString(output, 'source_id') ?? outputId,
      step: metaNumber(output, 'step') ?? 0,
    });
  }
  return outputs.sort((a, b) => compareText(a.modelId, b.modelId));
};

/**
 * One run, or undefined (with a warning) where MLflow would skip it: no meta.yaml, a status it cannot read, or
 * an experiment id that is not its experiment's. The run name falls back to the `mlflow.runName` tag, as MLflow
 * does for runs written before `run_name` was stored.
 */
export const readRun = async (
  experiment: ExperimentFolder,
  runFolder: string,
  warn: Warn,
): Promise<SourceRun | undefined> => {
  const runDir = join(experiment.dir, runFolder);
  const meta = await readMetaFile(join(runDir, META_FILE));
  if (meta === undefined) {
    warn(`skipped ${runDir}: no ${META_FILE} (not a run)`);
    return undefined;
  }
  if (metaString(meta, 'experiment_id') !== experiment.experimentId) {
    warn(`skipped ${runDir}: its ${META_FILE} names experiment ${String(metaString(meta, 'experiment_id'))}`);
    return undefined;
  }
  const status = runStatusOf(meta);
  if (status === undefined) {
    warn(`skipped ${runDir}: unknown status ${JSON.stringify(meta['status'])}`);
    return undefined;
  }
  const tags = await readKeyValueFolder(join(runDir, 'tags'));
  const runName = metaString(meta, 'run_name') || tags.find((tag) => tag.key === 'mlflow.runName')?.value;
  const userId = metaString(meta, 'user_id');
  const { datasets, modelInputs } = await readRunInputs(runDir, experiment.dir, warn);
  return {
    runId: metaString(meta, 'run_id') || metaString(meta, 'run_uuid') || runFolder,
    experimentId: experiment.experimentId,
    ...(runName ? { runName } : {}),
    ...(userId === undefined ? {} : { userId }),
    status,
    startTime: metaNumber(meta, 'start_time'),
    endTime: metaNumber(meta, 'end_time'),
    artifactUri: metaString(meta, 'artifact_uri') ?? '',
    lifecycleStage: lifecycleOf(meta, 'active'),
    params: await readKeyValueFolder(join(runDir, 'params')),
    tags,
    metricKeys: await listFilesRecursive(join(runDir, 'metrics')),
    datasets,
    modelInputs,
    modelOutputs: await readRunOutputs(runDir),
  };
};

/** Every point of a metric file, parsed a batch of lines at a time. */
export async function* readMetricPoints(
  metricsDir: string,
  key: string,
  parse: (line: string) => SourceMetricPoint,
): AsyncGenerator<SourceMetricPoint[]> {
  for await (const lines of readLineBatches(keyPath(metricsDir, key))) yield lines.map(parse);
}

/** The logged models of an experiment (`<experiment>/models/<model id>`), deleted ones included. */
export const listLoggedModelFolders = async (experimentDir: string): Promise<string[]> =>
  listSubfolders(join(experimentDir, 'models'));

/**
 * One logged model with every metric point its files hold (MLflow's own reader keeps only the latest per
 * dataset; the files keep them all). `status` is the LoggedModelStatus name (`READY`); releases whose enum lacked
 * `__str__` wrote `LoggedModelStatus.READY`, read the same.
 */
export const readLoggedModel = async (
  experiment: ExperimentFolder,
  modelFolder: string,
  warn: Warn,
): Promise<SourceLoggedModel | undefined> => {
  const modelDir = join(experiment.dir, 'models', modelFolder);
  const meta = await readMetaFile(join(modelDir, META_FILE));
  if (meta === undefined) {
    warn(`skipped ${modelDir}: no ${META_FILE} (not a logged model)`);
    return undefined;
  }
  const modelId = metaString(meta, 'model_id') ?? modelFolder;
  const metricsDir = join(modelDir, 'metrics');
  const metrics: SourceMetricPoint[] = [];
  for (const key of await listFilesRecursive(metricsDir)) {
    for await (const page of readMetricPoints(metricsDir, key, (line) => parseModelMetricLine(modelId, key, line))) {
      metrics.push(...page);
    }
  }
  const sourceRunId = metaString(meta, 'source_run_id');
  const statusMessage = metaString(meta, 'status_message');
  const modelType = metaString(meta, 'model_type');
  const creationTimestamp = metaNumber(meta, 'creation_timestamp') ?? 0;
  return {
    modelId,
    experimentId: metaString(meta, 'experiment_id') ?? experiment.experimentId,
    name: metaString(meta, 'name') ?? '',
    artifactLocation: metaString(meta, 'artifact_location') ?? '',
    creationTimestamp,
    lastUpdatedTimestamp: metaNumber(meta, 'last_updated_timestamp') ?? creationTimestamp,
    ...(sourceRunId ? { sourceRunId } : {}),
    status: (metaString(meta, 'status') ?? 'READY').replace(/^LoggedModelStatus\./, ''),
    ...(statusMessage === undefined ? {} : { statusMessage }),
    ...(modelType === undefined ? {} : { modelType }),
    lifecycleStage: lifecycleOf(meta, 'active'),
    params: await readKeyValueFolder(join(modelDir, 'params')),
    tags: await readKeyValueFolder(join(modelDir, 'tags')),
    metrics,
  };
};
