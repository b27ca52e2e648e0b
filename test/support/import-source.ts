import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import type { ArtifactDeps } from '../../shared/domain/artifacts/artifacts.js';
import type { ImportTarget } from '../../shared/domain/import/ports.js';
import type {
  ImportSource,
  SourceExperiment,
  SourceLoggedModel,
  SourceMetricPoint,
  SourceRegisteredModel,
  SourceRun,
} from '../../shared/domain/import/source.js';
import { createLocalArtifacts } from '../../shared/local/local-artifacts.js';
import { createTestApiWith, TEST_BASE_URL, type EngineName, type TestApi } from './test-api.js';

/**
 * An import source held in memory, for the importer's tests (the real readers, MLflow's REST API and the
 * `mlruns` folder, are tested on their own). Histories may be generated lazily, so a million points cost no
 * memory until read; `faults` throws from the source where a test interrupts an import.
 */

export interface MemoryRun extends Omit<SourceRun, 'metricKeys' | 'experimentId'> {
  /** Each key's points, or a generator of them (called once per read). */
  readonly metrics: Record<string, readonly SourceMetricPoint[] | (() => Iterable<SourceMetricPoint>)>;
}

export interface MemoryExperiment extends SourceExperiment {
  readonly runs: readonly MemoryRun[];
  readonly loggedModels?: readonly SourceLoggedModel[];
}

export interface MemorySourceData {
  readonly experiments: readonly MemoryExperiment[];
  readonly registeredModels?: readonly SourceRegisteredModel[];
  /** Files by artifact root URI, then by relative path. */
  readonly artifacts?: Record<string, Record<string, string | Uint8Array>>;
}

export interface MemorySourceOptions {
  /** Points per metricHistory page. @default 10,000 */
  readonly pageSize?: number;
  /** Called before each page of a history is yielded (page numbers from 0); a throw interrupts the import. */
  readonly beforePage?: (runId: string, key: string, page: number) => void;
  /** Called before a file is read; a throw interrupts the import. */
  readonly beforeArtifact?: (rootUri: string, path: string) => void;
}

export const createMemorySource = (data: MemorySourceData, options: MemorySourceOptions = {}): ImportSource & { pagesRead: number } => {
  const pageSize = options.pageSize ?? 10_000;
  const runsById = new Map(data.experiments.flatMap((e) => e.runs.map((run) => [run.runId, run] as const)));
  const source = {
    description: 'memory source',
    pagesRead: 0,
    async *experiments() {
      for (const { runs: _, loggedModels: __, ...experiment } of data.experiments) yield experiment;
    },
    async *runs(experimentId: string) {
      for (const run of data.experiments.find((e) => e.experimentId === experimentId)?.runs ?? []) {
        const { metrics, ...rest } = run;
        yield { ...rest, experimentId, metricKeys: Object.keys(metrics) } satisfies SourceRun;
      }
    },
    async *metricHistory(runId: string, key: string) {
      const points = runsById.get(runId)?.metrics[key];
      if (points === undefined) return;
      let page: SourceMetricPoint[] = [];
      let number = 0;
      for (const point of typeof points === 'function' ? points() : points) {
        page.push(point);
        if (page.length < pageSize) continue;
        options.beforePage?.(runId, key, number++);
        source.pagesRead++;
        yield page;
        page = [];
      }
      if (page.length > 0) {
        options.beforePage?.(runId, key, number);
        source.pagesRead++;
        yield page;
      }
    },
    async *loggedModels(experimentId: string) {
      yield* data.experiments.find((e) => e.experimentId === experimentId)?.loggedModels ?? [];
    },
    async *registeredModels() {
      yield* data.registeredModels ?? [];
    },
    async *artifacts(rootUri: string) {
      for (const [path, body] of Object.entries(data.artifacts?.[rootUri] ?? {})) yield { path, size: bytesOf(body).length };
    },
    async readArtifact(rootUri: string, path: string) {
      options.beforeArtifact?.(rootUri, path);
      const body = data.artifacts?.[rootUri]?.[path];
      if (body === undefined) throw new Error(`no artifact ${rootUri} ${path}`);
      return Readable.from([Buffer.from(bytesOf(body))]);
    },
  };
  return source;
};

const bytesOf = (body: string | Uint8Array) => (typeof body === 'string' ? Buffer.from(body, 'utf8') : body);

/** `count` points of `key`: value `value(i)`, step i, timestamp `start + i`. */
export const history = (key: string, count: number, value: (i: number) => number = (i) => i / 2, start = 1_700_000_000_000) =>
  function* points(): Iterable<SourceMetricPoint> {
    for (let i = 0; i < count; i++) yield { key, value: value(i), timestamp: start + i, step: i };
  };

/** A fresh Cairn on `engine` (as createTestApi builds it) and the importer's view of it. */
export const createImportTarget = async (engine: EngineName): Promise<{ api: TestApi; target: ImportTarget }> => {
  let artifactDeps: ArtifactDeps | undefined;
  const api = await createTestApiWith(engine, async (tracking) => {
    const artifactDir = await mkdtemp(join(tmpdir(), 'cairn-import-artifacts-'));
    const artifacts = await createLocalArtifacts({ dataDir: artifactDir, baseUrl: () => TEST_BASE_URL, tracking });
    artifactDeps = artifacts.deps;
    return { deps: artifacts.deps, signedUrlHandler: artifacts.signedUrlHandler, artifactDir };
  });
  if (!artifactDeps) throw new Error('the test API built no artifact store');
  return { api, target: { tracking: api.deps, artifacts: artifactDeps } };
};
