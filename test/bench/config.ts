/**
 * Sizes of the workloads (full size by default; every one can be lowered by an environment variable to run
 * the benchmark quickly) and the reference MLflow server's figures (MLflow 3.6, sqlite backend, 4 workers).
 */

const positiveInt = (name: string, fallback: number): number => {
  const raw = process.env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const value = Number(raw.replaceAll('_', ''));
  if (!Number.isInteger(value) || value < 1) throw new Error(`${name} must be a positive integer, got ${JSON.stringify(raw)}`);
  return value;
};

export interface BenchConfig {
  /** (a) sequential log-metric: stop at this many calls or after `logMetricSeconds`, whichever comes first. */
  logMetricCalls: number;
  logMetricSeconds: number;
  /** (a) again with a new connection per call, for comparison. */
  logMetricFreshSeconds: number;
  /** (b) sequential log-batch of one key. */
  batchCalls: number;
  batchPoints: number;
  /** (c) search runs. */
  searchRuns: number;
  populateConcurrency: number;
  searches: number;
  /** (d) paged metric history. */
  historyPoints: number;
  historyPageSize: number;
  historyReads: number;
  /** (e) concurrent writers into one run, one key each. */
  writers: number;
  batchesPerWriter: number;
  /** Seed of the generated metric values and params. */
  seed: number;
  /** `inprocess` (default: startLocalServer in this process) or `process` (the same, in a child process). */
  serverMode: 'inprocess' | 'process';
  /** Workloads to run, e.g. `a,c`; all by default. */
  only: Set<string>;
}

export const loadConfig = (): BenchConfig => {
  const mode = process.env.BENCH_SERVER ?? 'inprocess';
  if (mode !== 'inprocess' && mode !== 'process') throw new Error(`BENCH_SERVER must be inprocess or process, got ${JSON.stringify(mode)}`);
  const only = (process.env.BENCH_ONLY ?? 'a,b,c,d,e,f,g').toLowerCase().split(',').map((s) => s.trim()).filter(Boolean);
  return {
    logMetricCalls: positiveInt('BENCH_LOG_METRIC_CALLS', 5_000),
    logMetricSeconds: positiveInt('BENCH_LOG_METRIC_SECONDS', 10),
    logMetricFreshSeconds: positiveInt('BENCH_LOG_METRIC_FRESH_SECONDS', 3),
    batchCalls: positiveInt('BENCH_BATCH_CALLS', 100),
    batchPoints: positiveInt('BENCH_BATCH_POINTS', 1_000),
    searchRuns: positiveInt('BENCH_RUNS', 10_000),
    populateConcurrency: positiveInt('BENCH_POPULATE_CONCURRENCY', 16),
    searches: positiveInt('BENCH_SEARCHES', 200),
    historyPoints: positiveInt('BENCH_HISTORY_POINTS', 100_000),
    historyPageSize: positiveInt('BENCH_HISTORY_PAGE', 25_000),
    historyReads: positiveInt('BENCH_HISTORY_READS', 3),
    writers: positiveInt('BENCH_WRITERS', 8),
    batchesPerWriter: positiveInt('BENCH_WRITER_BATCHES', 25),
    seed: positiveInt('BENCH_SEED', 42),
    serverMode: mode,
    only: new Set(only),
  };
};

export const ENV_HELP = `Environment (defaults are the full sizes):
  BENCH_LOG_METRIC_CALLS=5000 BENCH_LOG_METRIC_SECONDS=10   (a) sequential log-metric
  BENCH_LOG_METRIC_FRESH_SECONDS=3                          (a) again, a new connection per call
  BENCH_BATCH_CALLS=100 BENCH_BATCH_POINTS=1000             (b) sequential log-batch, one key
  BENCH_RUNS=10000 BENCH_POPULATE_CONCURRENCY=16 BENCH_SEARCHES=200   (c) search runs
  BENCH_HISTORY_POINTS=100000 BENCH_HISTORY_PAGE=25000 BENCH_HISTORY_READS=3   (d) metric history
  BENCH_WRITERS=8 BENCH_WRITER_BATCHES=25                   (e) concurrent log-batch writers
  BENCH_ONLY=a,b,c,d,e,f,g  BENCH_SEED=42  BENCH_SERVER=inprocess|process`;

/** A reference figure: one value or a measured range. */
export interface Reference {
  low: number;
  high: number;
}

/** The reference MLflow server (sqlite, 4 workers) and Cairn's targets. */
export const REFERENCE = {
  logMetricRps: { low: 137, high: 137 },
  batchPointsPerSecond: { low: 5_000, high: 10_000 },
  searchP50Ms: { low: 1_986, high: 1_986 },
  historySeconds: { low: 6, high: 7 },
  concurrentPointsPerSecond: { low: 9_600, high: 12_000 },
} satisfies Record<string, Reference>;

export const TARGET_FACTOR = {
  logMetricRps: 5,
  batchPointsPerSecond: 10,
  concurrentPointsPerSecond: 5,
} as const;

export const TARGET_ABSOLUTE = {
  searchP50Ms: 100,
  historySeconds: 0.5,
} as const;

export { seededRandom } from '../support/seeded-random.js';
