/**
 * Trace search at scale (issue 17, point 7): SearchTracesV3 over one experiment of 100,000 trace infos, through
 * the app (createApi, as `npm start` serves it) on the embedded engine. The infos go in with batch writes of the
 * trace repository's own items (no dirty marks: as if written before snapshots, or folded in since); then
 *
 *   - with no search snapshot yet: one cold search that must read every info (a new process's first, which
 *     reads the experiment's time index whole);
 *   - the snapshot is built once (the compactor, as the stream or the local feed would);
 *   - each search below runs cold BENCH_TRACES_COLD times, each in a new process with new deps (a new Lambda
 *     instance's first search, minus module loading: traces-search-child.ts), p50; and warm BENCH_TRACES_WARM
 *     times in this process after one warm-up, p50 and p95;
 *   - the heap a cold process holds after a search that loads the index, per trace info.
 *
 * Figures only: it never fails on time (exit 1 only when an answer is not what the loaded data implies).
 * Sizes: BENCH_TRACES (100000), BENCH_TRACES_COLD (3), BENCH_TRACES_WARM (20), BENCH_TRACES_CONCURRENCY (16).
 *   npx tsx test/bench/traces-search.ts
 */
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { createApi } from '../../functions/api/create-api.js';
import { createTrackingDeps } from '../../shared/config/dependencies.js';
import { createDynamoClient } from '../../shared/data/dynamo-client.js';
import { ensureTable } from '../../shared/data/ensure-table.js';
import { compactSnapshot } from '../../shared/data/snapshots/snapshot-compactor.js';
import { batchWrite } from '../../shared/data/traces/batch-writes.js';
import { TRACE_SNAPSHOT_KIND } from '../../shared/data/traces/search-kind.js';
import { toTraceInfoItem } from '../../shared/data/traces/codec.js';
import type { TraceInfo, TraceState } from '../../shared/domain/genai/entities.js';
import { createExperiment, ensureDefaultExperiment } from '../../shared/domain/tracking/experiments.js';
import { startDynamoEngine } from '../../shared/local/dynamodb-engine.js';
import { seededRandom } from '../support/seeded-random.js';
import { fmt, fmtMs, log, stopwatch, summarize } from './report.js';
import type { TracesColdSample } from './traces-search-child.js';

const sizeFrom = (name: string, fallback: number): number => {
  const raw = process.env[name];
  const value = raw === undefined || raw.trim() === '' ? fallback : Number(raw.replaceAll('_', ''));
  if (!Number.isInteger(value) || value < 1) throw new Error(`${name} must be a positive whole number, got ${JSON.stringify(raw)}`);
  return value;
};

const TRACES = sizeFrom('BENCH_TRACES', 100_000);
const COLD = sizeFrom('BENCH_TRACES_COLD', 3);
const WARM = sizeFrom('BENCH_TRACES_WARM', 20);
const CONCURRENCY = sizeFrom('BENCH_TRACES_CONCURRENCY', 16);
const TABLE_NAME = 'cairn-bench-traces';
const BASE = Date.UTC(2026, 0, 1);
/** One trace a second: 100,000 traces span about 28 hours. */
const SPACING_MS = 1000;

const infoOf = (experimentId: string, i: number, random: () => number): TraceInfo => {
  const roll = random();
  const state: TraceState = roll < 0.04 ? 'ERROR' : roll < 0.05 ? 'IN_PROGRESS' : 'OK';
  return {
    traceId: `tr-${i.toString(16).padStart(32, '0')}`,
    experimentId,
    requestTime: BASE + i * SPACING_MS + Math.floor(random() * 500),
    ...(state === 'IN_PROGRESS' ? {} : { executionDuration: Math.floor(random() * 20_000) }),
    state,
    requestPreview: `{"question": "question ${i}"}`,
    responsePreview: '{"answer": "…"}',
    metadata: {
      'mlflow.trace_schema.version': '3',
      'mlflow.user': `user${i % 50}`,
      ...(i % 100 === 0 ? { 'mlflow.sourceRun': `run${i / 100}` } : {}),
    },
    tags: {
      'mlflow.traceName': `agent-${i % 20}`,
      env: i % 40 === 0 ? 'staging' : 'prod',
      customer: `c${i % 200}`,
      'mlflow.artifactLocation': `mlflow-artifacts:/${experimentId}/traces/tr-${i}/artifacts`,
    },
  };
};

interface Search {
  readonly name: string;
  readonly body: (experimentId: string) => Record<string, unknown>;
  /** How many traces the first page holds. */
  readonly expect: number;
}

const newest = BASE + (TRACES - 1) * SPACING_MS;
const SEARCHES: Search[] = [
  { name: 'newest 100 (default order)', body: () => ({}), expect: Math.min(100, TRACES) },
  { name: "status = 'ERROR' (4%)", body: () => ({ filter: "status = 'ERROR'" }), expect: -1 },
  { name: "tags.customer = 'c7' (0.5%)", body: () => ({ filter: "tags.customer = 'c7'" }), expect: Math.min(100, Math.floor(TRACES / 200)) },
  { name: "trace.name ILIKE '%AGENT-7' (10%)", body: () => ({ filter: "trace.name ILIKE '%AGENT-7'" }), expect: Math.min(100, Math.floor(TRACES / 10)) },
  { name: 'last hour (timestamp_ms >)', body: () => ({ filter: `timestamp_ms > ${newest - 3_600_000}` }), expect: Math.min(100, TRACES) },
  { name: 'oldest 100 (timestamp ASC)', body: () => ({ order_by: ['timestamp ASC'] }), expect: Math.min(100, TRACES) },
  { name: "one run's traces (run_id =, 1 match)", body: () => ({ filter: "run_id = 'run7'" }), expect: TRACES > 700 ? 1 : 0 },
  { name: 'slowest 100 (execution_time DESC)', body: () => ({ order_by: ['execution_time DESC'] }), expect: Math.min(100, TRACES) },
];

const engine = await startDynamoEngine({ kind: 'auto' });
const client = createDynamoClient({ endpoint: engine.endpoint });
const wrong: string[] = [];
try {
  await ensureTable({ client, tableName: TABLE_NAME });
  const deps = createTrackingDeps({ client, tableName: TABLE_NAME });
  await ensureDefaultExperiment(deps);
  const experimentId = await createExperiment(deps, { name: `traces-${Date.now()}`, tags: [] });
  log(`engine ${engine.kind}; loading ${fmt(TRACES)} trace infos into experiment ${experimentId}`);
  const random = seededRandom(17);
  const infos = Array.from({ length: TRACES }, (_, i) => infoOf(experimentId, i, random));
  const load = stopwatch();
  let next = 0;
  const db = { client, tableName: TABLE_NAME };
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < infos.length) {
        const slice = infos.slice(next, next + 25);
        next += 25;
        await batchWrite(db, slice.map((info) => toTraceInfoItem(info, 1)));
      }
    }),
  );
  log(`loaded in ${fmt(load() / 1000, 1)} s (${fmt((TRACES * 1000) / load(), 0)} infos/s)`);

  /** One search in a new process (traces-search-child.ts): its first and second search, and the heap it holds. */
  const cold = (body: Record<string, unknown>) =>
    new Promise<TracesColdSample>((resolve, reject) => {
      const child = fork(fileURLToPath(new URL('./traces-search-child.ts', import.meta.url)), [engine.endpoint, TABLE_NAME, experimentId, JSON.stringify(body)], {
        execArgv: ['--import', 'tsx', '--expose-gc', '--max-old-space-size=2048'],
        stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
        env: { ...process.env, NODE_NO_WARNINGS: '1' },
      });
      child.once('message', (message) => resolve(message as TracesColdSample));
      child.once('exit', (code) => (code === 0 ? undefined : reject(new Error(`cold probe exited with ${code}`))));
    });

  const sparse = { filter: "tags.customer = 'c7'" };
  const unsnapshotted = await cold(sparse);
  log(`no snapshot yet: a new process's first filtered search ${fmtMs(unsnapshotted.firstMs)} (reads every info from the time index), its second ${fmtMs(unsnapshotted.secondMs)}`);
  const build = stopwatch();
  const built = await compactSnapshot(db, TRACE_SNAPSHOT_KIND, experimentId);
  log(
    `snapshot built in ${fmt(build() / 1000, 1)} s: ${fmt(built.entries)} infos, ${built.segmentsWritten} segments, ` +
      `${fmt((built.bytesWritten ?? 0) / 1_000_000, 1)} MB gzipped`,
  );

  const search = async (app: ReturnType<typeof createApi>, body: Record<string, unknown>) => {
    const response = await app.request('/api/3.0/mlflow/traces/search', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ locations: [{ type: 'MLFLOW_EXPERIMENT', mlflow_experiment: { experiment_id: experimentId } }], ...body }),
    });
    const json = (await response.json()) as { traces?: unknown[]; next_page_token?: string; message?: string };
    if (response.status !== 200) throw new Error(`search answered ${response.status}: ${json.message ?? ''}`);
    return json;
  };

  let held = 0;
  console.log('');
  console.log(`| Search over ${fmt(TRACES)} traces | cold p50 (new process) | warm p50 | warm p95 | page |`);
  console.log('|---|---:|---:|---:|---:|');
  for (const s of SEARCHES) {
    const colds: TracesColdSample[] = [];
    for (let i = 0; i < COLD; i++) colds.push(await cold(s.body(experimentId)));
    held = Math.max(held, ...colds.map((c) => c.heldBytes));
    const app = createApi(deps);
    const first = await search(app, s.body(experimentId));
    const warm: number[] = [];
    for (let i = 0; i < WARM; i++) {
      const clock = stopwatch();
      await search(app, s.body(experimentId));
      warm.push(clock());
    }
    const count = first.traces?.length ?? 0;
    if (s.expect >= 0 && count !== s.expect) wrong.push(`${s.name}: ${count} answered, ${s.expect} expected`);
    const c = summarize(colds.map((sample) => sample.firstMs));
    const w = summarize(warm);
    console.log(`| ${s.name} | ${fmtMs(c.p50)} | ${fmtMs(w.p50)} | ${fmtMs(w.p95)} | ${count} |`);
  }
  // The second page of the default search: the token narrows the read to traces older than the first page.
  const app = createApi(deps);
  const token = (await search(app, {})).next_page_token;
  const pageTimes: number[] = [];
  for (let i = 0; i < WARM; i++) {
    const clock = stopwatch();
    await search(app, { page_token: token });
    pageTimes.push(clock());
  }
  console.log(`| second page of the default search (warm) | — | ${fmtMs(summarize(pageTimes).p50)} | ${fmtMs(summarize(pageTimes).p95)} | 100 |`);
  console.log('');
  console.log(
    `Engine ${engine.kind}, in-process HTTP (createApi); ${COLD} cold samples per search, each a new process, and ${WARM} warm ` +
      `samples in this one. A cold process holds ${fmt(held / 1_000_000, 1)} MB of heap after a search that loads the index: ` +
      `${fmt(held / TRACES, 0)} bytes per trace info.`,
  );
} finally {
  client.destroy();
  await engine.stop();
}
if (wrong.length > 0) {
  console.error(`Wrong answers:\n  ${wrong.join('\n  ')}`);
  process.exit(1);
}
