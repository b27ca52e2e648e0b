import { join, resolve } from 'node:path';
import type { ImportSource, SourceMetricPoint } from './source.js';
import { createArtifactReader, type ArtifactReaderOptions } from './mlruns/artifacts.js';
import { isFile, keyPath, pathExists } from './mlruns/files.js';
import { parseRunMetricLine } from './mlruns/metric-lines.js';
import { listRegisteredModelFolders, readRegisteredModel } from './mlruns/registry.js';
import {
  listExperimentFolders,
  listLoggedModelFolders,
  listRunFolders,
  readExperiment,
  readLoggedModel,
  readMetricPoints,
  readRun,
  type ExperimentFolder,
  type Warn,
} from './mlruns/tracking.js';

export interface MlrunsSourceOptions extends ArtifactReaderOptions {
  /** Told about what MLflow itself would skip (a folder without meta.yaml, a run of another experiment). */
  readonly onWarning?: Warn;
  /** Points per metricHistory page. */
  readonly pageSize?: number;
}

const DEFAULT_PAGE_SIZE = 10_000;

/**
 * An `mlruns` folder of MLflow's file store read directly (tracking and registry share the folder, as with
 * `mlflow server --backend-store-uri ./mlruns`). Everything is read lazily, a folder at a time; nothing is
 * written. Artifacts are read where the URIs MLflow stored point, mapped into this folder when the folder was
 * moved (see ./mlruns/artifacts.ts).
 */
export const createMlrunsSource = (folder: string, options: MlrunsSourceOptions = {}): ImportSource => {
  const root = resolve(folder);
  const warn: Warn = options.onWarning ?? (() => undefined);
  const pageSize = options.pageSize ?? DEFAULT_PAGE_SIZE;
  const artifacts = createArtifactReader(root, options);
  /** Run folders found while listing, so a history is read without searching every experiment again. */
  const runDirs = new Map<string, string>();
  let experimentFolders: Promise<ExperimentFolder[]> | undefined;

  const foldersOnce = () => (experimentFolders ??= listExperimentFolders(root));

  const experimentFolder = async (experimentId: string): Promise<ExperimentFolder | undefined> => {
    // An active folder wins over a trashed one of the same id, as in MLflow's lookup.
    const folders = (await foldersOnce()).filter((entry) => entry.experimentId === experimentId);
    return folders[0];
  };

  /** MLflow's `_find_run_root`: the first experiment holding a folder named after the run. */
  const runDir = async (runId: string): Promise<string> => {
    const known = runDirs.get(runId);
    if (known !== undefined) return known;
    for (const experiment of await foldersOnce()) {
      const candidate = join(experiment.dir, runId);
      if (await pathExists(join(candidate, 'meta.yaml'))) {
        runDirs.set(runId, candidate);
        return candidate;
      }
    }
    throw new Error(`run ${runId} is not in ${root}`);
  };

  return {
    description: `mlruns folder ${root}`,

    async *experiments() {
      if (!(await pathExists(root))) throw new Error(`${root} does not exist`);
      for (const entry of await foldersOnce()) {
        const experiment = await readExperiment(entry, warn);
        if (experiment !== undefined) yield experiment;
      }
    },

    async *runs(experimentId) {
      const experiment = await experimentFolder(experimentId);
      if (experiment === undefined) return;
      for (const name of await listRunFolders(experiment.dir)) {
        const run = await readRun(experiment, name, warn);
        if (run === undefined) continue;
        runDirs.set(run.runId, join(experiment.dir, name));
        yield run;
      }
    },

    async *metricHistory(runId, key) {
      const metricsDir = join(await runDir(runId), 'metrics');
      if (!(await isFile(keyPath(metricsDir, key)))) return;
      let page: SourceMetricPoint[] = [];
      for await (const points of readMetricPoints(metricsDir, key, (line) => parseRunMetricLine(key, line))) {
        for (const point of points) {
          page.push(point);
          if (page.length === pageSize) {
            yield page;
            page = [];
          }
        }
      }
      if (page.length > 0) yield page;
    },

    async *loggedModels(experimentId) {
      const experiment = await experimentFolder(experimentId);
      if (experiment === undefined) return;
      for (const name of await listLoggedModelFolders(experiment.dir)) {
        const model = await readLoggedModel(experiment, name, warn);
        if (model !== undefined) yield model;
      }
    },

    async *registeredModels() {
      for (const name of await listRegisteredModelFolders(root)) {
        const model = await readRegisteredModel(root, name, warn);
        if (model !== undefined) yield model;
      }
    },

    artifacts: (rootUri) => artifacts.list(rootUri),
    readArtifact: (rootUri, path) => artifacts.open(rootUri, path),
  };
};
