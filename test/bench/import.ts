/**
 * The importer's rate (issue 15): metric points per minute from an in-memory source of 1,000,000 points into the
 * engine `npm start` embeds (dynoxide, data on disk in a temporary folder, as `npm start` keeps it), through the
 * same composition as `npm start` (createTrackingDeps, local artifacts). Several shapes of history, since the
 * rate depends on how points spread over runs and keys. Prints figures; never fails on time (target ≥ 1,000,000
 * points per minute). Exit 1 only when the imported point count is wrong.
 *
 *   tsx test/bench/import.ts            (BENCH_IMPORT_POINTS=200000 for a quicker look)
 */
import os from 'node:os';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTrackingDeps } from '../../shared/config/dependencies.js';
import { createDynamoClient } from '../../shared/data/dynamo-client.js';
import { ensureTable } from '../../shared/data/ensure-table.js';
import { importHistory } from '../../shared/domain/import/index.js';
import { ensureDefaultExperiment } from '../../shared/domain/tracking/experiments.js';
import { startDynamoEngine } from '../../shared/local/dynamodb-engine.js';
import { createLocalArtifacts } from '../../shared/local/local-artifacts.js';
import { createMemorySource, history, type MemoryRun } from '../support/import-source.js';

const TOTAL = Number(process.env.BENCH_IMPORT_POINTS ?? 1_000_000);
const TARGET_PER_MINUTE = 1_000_000;

interface Shape {
  name: string;
  runs: number;
  keys: number;
}

/** Points per key follow from the total, so every shape moves the same number of points. */
const SHAPES: Shape[] = [
  { name: 'training runs: 20 runs × 5 keys', runs: 20, keys: 5 },
  { name: 'one long history: 1 run × 1 key', runs: 1, keys: 1 },
  { name: 'many small runs: 1,000 runs × 10 keys', runs: 1000, keys: 10 },
];

const hex = (n: number, width: number) => n.toString(16).padStart(width, '0');

const sourceOf = (shape: Shape, experimentId: string) => {
  const perKey = Math.floor(TOTAL / (shape.runs * shape.keys));
  const runs: MemoryRun[] = Array.from({ length: shape.runs }, (_, r) => ({
    runId: `${hex(Number(experimentId), 8)}${hex(r, 24)}`,
    runName: `run-${r}`,
    status: 'FINISHED',
    startTime: 1_700_000_000_000,
    endTime: 1_700_000_600_000,
    artifactUri: `file:///bench/mlruns/${experimentId}/${r}/artifacts`,
    lifecycleStage: 'active',
    params: [{ key: 'lr', value: '0.01' }],
    tags: [{ key: 'mlflow.user', value: 'bench' }],
    metrics: Object.fromEntries(
      Array.from({ length: shape.keys }, (_, k) => [`metric_${k}`, history(`metric_${k}`, perKey, (i) => Math.sin(i + k) * (i % 97 === 0 ? Number.NaN : 1))]),
    ),
    datasets: [],
    modelInputs: [],
    modelOutputs: [],
  }));
  const source = createMemorySource({
    experiments: [{ experimentId, name: `bench ${experimentId}: ${shape.name}`, artifactLocation: `file:///bench/mlruns/${experimentId}`, lifecycleStage: 'active', tags: [], runs }],
  });
  return { source, points: perKey * shape.runs * shape.keys };
};

const dataDir = await mkdtemp(join(tmpdir(), 'cairn-bench-import-'));
const engine = await startDynamoEngine({ kind: 'dynoxide', dataDir: join(dataDir, 'db') });
let failed = false;
try {
  const client = createDynamoClient({ endpoint: engine.endpoint });
  const tableName = 'cairn';
  await ensureTable({ client, tableName });
  const tracking = createTrackingDeps({ client, tableName });
  await ensureDefaultExperiment(tracking);
  const artifacts = await createLocalArtifacts({ dataDir: join(dataDir, 'artifacts'), baseUrl: () => 'http://127.0.0.1', tracking });
  const target = { tracking, artifacts: artifacts.deps };

  const cpus = os.cpus();
  console.log(`Import rate into ${engine.kind} (data on disk), node ${process.version}, ${cpus.length} CPUs (${cpus[0]?.model.trim() ?? 'unknown'})`);
  console.log(`target: ≥ ${TARGET_PER_MINUTE.toLocaleString('en')} metric points per minute; informational, never a failure\n`);
  for (const [index, shape] of SHAPES.entries()) {
    const { source, points } = sourceOf(shape, String(index + 1));
    const started = performance.now();
    const summary = await importHistory(source, target);
    const seconds = (performance.now() - started) / 1000;
    const perMinute = (summary.counts.metricPoints / seconds) * 60;
    if (summary.counts.metricPoints !== points || summary.conflicts.length > 0) failed = true;
    console.log(
      `${shape.name.padEnd(40)} ${summary.counts.metricPoints.toLocaleString('en').padStart(10)} points in ${seconds.toFixed(1).padStart(5)} s: ` +
        `${Math.round(perMinute).toLocaleString('en').padStart(11)} points/min ${perMinute >= TARGET_PER_MINUTE ? '(meets the target)' : '(below the target)'}` +
        `${summary.counts.metricPoints === points ? '' : `  WRONG COUNT: expected ${points}`}`,
    );
  }
} finally {
  await engine.stop();
  await rm(dataDir, { recursive: true, force: true });
}
process.exit(failed ? 1 : 0);
