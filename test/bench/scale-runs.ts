/**
 * Run search at scale (issue 14): experiments of 10,000 and 100,000 runs (3 params, 3 metrics, 3 tags each),
 * loaded through the run repository into one embedded engine (as `npm start` runs it), their snapshots built
 * by the compactor as the table's stream would. Then, for `metrics.m1 > 0.5 and params.p1 = 'a'` by
 * `metrics.m2 DESC`, 100 results:
 *   - cold: the first search of a new process (scale-runs-child.ts), directly and through the Lambda handler,
 *     and the heap it then holds;
 *   - warm: p50/p95 in this process;
 *   - one search over 50 experiments (cold and warm);
 *   - warm searches while 8 writers log metrics into the searched experiment (dirty marks pile up; this process
 *     rebuilds the snapshot in the background once due).
 * Figures only: it never fails on time.
 * Sizes: BENCH_SCALE_LOAD (snapshot | repository, see LOAD), BENCH_SCALE_RUNS (10000,100000), BENCH_SCALE_MULTI (50 experiments x 200 runs), BENCH_SCALE_COLD (3),
 * BENCH_SCALE_WARM (30), BENCH_SCALE_CONCURRENCY of the loading (32).
 */
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { createTrackingDeps } from '../../shared/config/dependencies.js';
import { createDynamoClient } from '../../shared/data/dynamo-client.js';
import { ensureTable } from '../../shared/data/ensure-table.js';
import { RUN_SNAPSHOT_KIND } from '../../shared/data/runs/search-kind.js';
import { readDirtyMarks } from '../../shared/data/snapshots/dirty-marks.js';
import { createRunRepository } from '../../shared/data/runs/repository.js';
import type { SnapshotEntry } from '../../shared/data/snapshots/kind.js';
import { compactSnapshot } from '../../shared/data/snapshots/snapshot-compactor.js';
import { publishSnapshotHead, segmentOf, writeSegment, type SegmentRef } from '../../shared/data/snapshots/snapshot-store.js';
import { recordOf } from '../../shared/domain/kernel/own-records.js';
import type { Run } from '../../shared/domain/tracking/entities.js';
import { searchRuns, type SearchRunsRequest } from '../../shared/domain/tracking/run-search.js';
import { startDynamoEngine } from '../../shared/local/dynamodb-engine.js';
import { seededRandom } from '../support/seeded-random.js';
import { fmt, fmtMs, log, stopwatch, summarize } from './report.js';
import type { RunsColdSample } from './scale-runs-child.js';

const numbers = (name: string, fallback: string): number[] =>
  (process.env[name] ?? fallback).split(',').map((s) => Number(s.trim().replaceAll('_', ''))).filter((n) => Number.isInteger(n) && n > 0);

if (process.argv.includes('--help')) {
  console.log(
    'Usage: npm run bench:scale\nEnvironment: BENCH_SCALE_LOAD (snapshot | repository), BENCH_SCALE_RUNS (10000,100000), BENCH_SCALE_MULTI (50,200: experiments,runs each),\n' +
      '  BENCH_SCALE_COLD (3), BENCH_SCALE_WARM (30), BENCH_SCALE_CONCURRENCY (32)',
  );
  process.exit(0);
}

const SIZES = numbers('BENCH_SCALE_RUNS', '10000,100000');
const [MULTI_EXPERIMENTS = 50, MULTI_RUNS = 200] = numbers('BENCH_SCALE_MULTI', '50,200');
const [COLD = 3] = numbers('BENCH_SCALE_COLD', '3');
const [WARM = 30] = numbers('BENCH_SCALE_WARM', '30');
const [CONCURRENCY = 32] = numbers('BENCH_SCALE_CONCURRENCY', '32');
/**
 * `repository` loads every run through the run repository (two transactions a run, and a rebuild that re-reads
 * each: ~4 minutes per 10,000 runs on this 2-core machine, the engine serializing writes); `snapshot` (the
 * default) writes the same runs straight into a published snapshot through the snapshot store, which is
 * what a search of a cold process reads either way.
 */
const LOAD = process.env.BENCH_SCALE_LOAD === 'repository' ? 'repository' : 'snapshot';
const TABLE = 'cairn-bench-scale';
const FILTER = "metrics.m1 > 0.5 and params.p1 = 'a'";
const ORDER = ['metrics.m2 DESC'];
const MB = 1024 * 1024;

const engine = await startDynamoEngine({ log: () => undefined });
const client = createDynamoClient({ endpoint: engine.endpoint });
const db = { client, tableName: TABLE };
await ensureTable(db);
const runs = createRunRepository(db);
const random = seededRandom(14);

const load = async (experimentId: string, count: number) => {
  const clock = stopwatch();
  let next = 0;
  let done = 0;
  const worker = async () => {
    while (next < count) {
      const i = next++;
      const runId = `${experimentId.padStart(8, '0')}${String(i).padStart(24, '0')}`.slice(-32);
      const scope = { runId, experimentId };
      const now = Date.now();
      await runs.create(
        { ...scope, runName: `run-${i}`, userId: 'bench', status: 'FINISHED', startTime: now, endTime: now, artifactUri: `mlflow-artifacts:/${experimentId}/${runId}/artifacts`, lifecycleStage: 'active' },
        [
          { key: 'mlflow.runName', value: `run-${i}` },
          { key: 'mlflow.user', value: 'bench' },
          { key: 'mlflow.source.name', value: 'train.py' },
        ],
        now,
      );
      await runs.logData(
        scope,
        {
          params: [
            { key: 'p1', value: 'abc'[i % 3]! },
            { key: 'p2', value: String(i % 17) },
            { key: 'p3', value: `lr-${i % 5}` },
          ],
          metrics: ['m1', 'm2', 'm3'].map((key) => ({ key, value: random(), timestamp: now, step: 0 })),
        },
        now,
      );
      done++;
      if (done % 10_000 === 0) log(`  experiment ${experimentId}: ${fmt(done)} runs (${fmt(done / (clock() / 1000))} runs/s)`);
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  return clock();
};

/** The run `load` would write, as the repository reads it back. */
const syntheticRun = (experimentId: string, i: number): Run => {
  const runId = `${experimentId.padStart(8, '0')}${String(i).padStart(24, '0')}`.slice(-32);
  const now = Date.now();
  const metrics = recordOf(['m1', 'm2', 'm3'].map((key) => [key, { key, value: random(), timestamp: now, step: 0 }] as const));
  return {
    info: { runId, experimentId, runName: `run-${i}`, userId: 'bench', status: 'FINISHED', startTime: now, endTime: now, artifactUri: `mlflow-artifacts:/${experimentId}/${runId}/artifacts`, lifecycleStage: 'active' },
    params: recordOf([['p1', 'abc'[i % 3]!], ['p2', String(i % 17)], ['p3', `lr-${i % 5}`]]),
    tags: recordOf([['mlflow.runName', `run-${i}`], ['mlflow.user', 'bench'], ['mlflow.source.name', 'train.py']]),
    metrics,
    metricRanges: recordOf(Object.values(metrics).map((m) => [m.key, { min: m.value, max: m.value }] as const)),
    datasetInputs: [],
    modelInputs: [],
    modelOutputs: [],
  };
};

const loadSnapshot = async (experimentId: string, count: number) => {
  const clock = stopwatch();
  const segments = new Map<number, SnapshotEntry<Run>[]>();
  for (let i = 0; i < count; i++) {
    const run = syntheticRun(experimentId, i);
    const segment = segmentOf(run.info.runId);
    const entries = segments.get(segment);
    if (entries) entries.push({ entity: run });
    else segments.set(segment, [{ entity: run }]);
  }
  const refs: Record<string, SegmentRef> = {};
  let bytes = 0;
  for (const [segment, entries] of segments) {
    const written = await writeSegment(db, RUN_SNAPSHOT_KIND, experimentId, segment, `bench-${segment}`, entries);
    refs[String(segment)] = written.ref;
    bytes += written.bytes;
  }
  await publishSnapshotHead(db, RUN_SNAPSHOT_KIND, experimentId, undefined, { version: 1, segments: refs, entries: count, builtAt: Date.now() });
  log(`  snapshot of ${fmt(count)} runs written in ${fmt(clock() / 1000, 1)} s: ${segments.size} segments, ${fmt(bytes / MB, 1)} MB`);
};

const cold = (mode: 'direct' | 'lambda', request: SearchRunsRequest) =>
  new Promise<RunsColdSample>((resolve, reject) => {
    const child = fork(fileURLToPath(new URL('./scale-runs-child.ts', import.meta.url)), [engine.endpoint, TABLE, mode, JSON.stringify(request)], {
      execArgv: ['--import', 'tsx', '--expose-gc', '--max-old-space-size=1024'],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    child.once('message', (message) => resolve(message as RunsColdSample));
    child.once('exit', (code) => (code === 0 ? undefined : reject(new Error(`cold probe exited with ${code}`))));
  });

const warmDeps = createTrackingDeps({ client, tableName: TABLE });
const warm = async (request: SearchRunsRequest, times = WARM) => {
  await searchRuns(warmDeps, request);
  const samples: number[] = [];
  for (let i = 0; i < times; i++) {
    const clock = stopwatch();
    await searchRuns(warmDeps, request);
    samples.push(clock());
  }
  return summarize(samples);
};

const report = async (label: string, request: SearchRunsRequest, runCount: number) => {
  for (const mode of ['direct', 'lambda'] as const) {
    const samples: RunsColdSample[] = [];
    for (let i = 0; i < COLD; i++) samples.push(await cold(mode, request));
    const first = summarize(samples.map((s) => s.firstMs));
    const held = Math.max(...samples.map((s) => s.heldBytes));
    log(
      `${label} cold ${mode}: first search p50 ${fmtMs(first.p50)} (max ${fmtMs(first.max)}), second ${fmtMs(summarize(samples.map((s) => s.secondMs)).p50)}, ` +
        `${samples[0]!.count} results; heap held ${fmt(held / MB, 1)} MB (${fmt(held / runCount / 1024, 2)} KB/run), rss ${fmt(Math.max(...samples.map((s) => s.rssBytes)) / MB, 0)} MB`,
    );
  }
  const hot = await warm(request);
  log(`${label} warm: p50 ${fmtMs(hot.p50)}, p95 ${fmtMs(hot.p95)}`);
};

for (const size of SIZES) {
  const experimentId = String(1000 + size);
  log(`Loading ${fmt(size)} runs into experiment ${experimentId} (${LOAD === 'repository' ? `through the repository, concurrency ${CONCURRENCY}` : 'as a published snapshot'})`);
  if (LOAD === 'snapshot') await loadSnapshot(experimentId, size);
  else {
    const loadMs = await load(experimentId, size);
    log(`  loaded in ${fmt(loadMs / 1000, 1)} s (${fmt(size / (loadMs / 1000))} runs/s)`);
    const clock = stopwatch();
    const built = await compactSnapshot(db, RUN_SNAPSHOT_KIND, experimentId);
    log(`  snapshot built in ${fmt(clock() / 1000, 1)} s: ${fmt(built.entries)} runs, ${built.segmentsWritten} segments, ${fmt((built.bytesWritten ?? 0) / MB, 1)} MB`);
  }
  await report(`${fmt(size)} runs:`, { experimentIds: [experimentId], filter: FILTER, orderBy: ORDER, maxResults: 100 }, size);
}

if (MULTI_EXPERIMENTS > 0) {
  const ids = Array.from({ length: MULTI_EXPERIMENTS }, (_, i) => String(500 + i));
  log(`Loading ${MULTI_EXPERIMENTS} experiments x ${MULTI_RUNS.toLocaleString("en-US")} runs`);
  for (const id of ids) {
    if (LOAD === 'snapshot') await loadSnapshot(id, MULTI_RUNS);
    else await load(id, MULTI_RUNS).then(() => compactSnapshot(db, RUN_SNAPSHOT_KIND, id));
  }
  await report(`${MULTI_EXPERIMENTS} experiments x ${MULTI_RUNS.toLocaleString("en-US")} runs:`, { experimentIds: ids, filter: FILTER, orderBy: ORDER, maxResults: 100 }, MULTI_EXPERIMENTS * MULTI_RUNS);
}

const busy = String(1000 + (SIZES[0] ?? 10_000));
const request = { experimentIds: [busy], filter: FILTER, orderBy: ORDER, maxResults: 100 };
log(`Warm searches of experiment ${busy} while 8 writers log metrics into 8 of its runs`);
let writing = true;
let writes = 0;
const writers = Array.from({ length: 8 }, async (_, w) => {
  // Runs of their own, made through the repository (the loaded ones may exist only in the snapshot).
  const runId = `${busy.padStart(8, '0')}${String(9_000_000 + w).padStart(24, '0')}`.slice(-32);
  const now = Date.now();
  await runs.create({ runId, experimentId: busy, runName: `writer-${w}`, userId: 'bench', status: 'RUNNING', startTime: now, artifactUri: `mlflow-artifacts:/${busy}/${runId}/artifacts`, lifecycleStage: 'active' }, [], now);
  for (let step = 0; writing; step++) {
    await runs.logData({ runId, experimentId: busy }, { metrics: [{ key: 'm1', value: random(), timestamp: Date.now(), step }] }, Date.now());
    writes++;
  }
});
const during = await warm(request, WARM * 2);
writing = false;
await Promise.all(writers);
log(`  p50 ${fmtMs(during.p50)}, p95 ${fmtMs(during.p95)} over ${during.count} searches; ${fmt(writes)} writes meanwhile; ${(await readDirtyMarks(db, RUN_SNAPSHOT_KIND, busy)).size} runs marked dirty at the end`);

await engine.stop();
process.exit(0);
