/** Workloads (a), (b) and (e): logging metrics. Each measures on its own fresh keep-alive connection(s). */
import { REFERENCE, TARGET_FACTOR, type BenchConfig } from './config.js';
import { createJsonClient, runConcurrently, type JsonClient } from './http.js';
import { fmt, fmtMs, log, stopwatch, summarize, throughputRow, type WorkloadResult } from './report.js';
import { createRun, logBatch, metricBatch, type MetricJson } from './setup.js';

export interface WriteContext {
  url: string;
  config: BenchConfig;
  experimentId: string;
  random: () => number;
}

const withClient = async <T>(url: string, connections: number, use: (client: JsonClient) => Promise<T>, options: { fresh?: boolean } = {}): Promise<T> => {
  const client = createJsonClient(url, { connections, ...options });
  try {
    return await use(client);
  } finally {
    client.close();
  }
};

/** Functional check: the run's latest point and the number of stored points of each key. */
const verifyRun = async (url: string, runId: string, expected: { key: string; points: number; lastStep: number }[]) =>
  withClient(url, 1, async (client) => {
    const { run } = await client.get<{ run?: { data?: { metrics?: MetricJson[] } } }>('/runs/get', { run_id: runId });
    const latest = new Map((run?.data?.metrics ?? []).map((m) => [m.key, m]));
    for (const { key, points, lastStep } of expected) {
      const point = latest.get(key);
      if (point?.step !== lastStep) {
        throw new Error(`run ${runId}: latest ${key} has step ${String(point?.step)}, expected ${lastStep}`);
      }
      const { metrics } = await client.get<{ metrics?: MetricJson[] }>('/metrics/get-history', { run_id: runId, metric_key: key });
      if ((metrics?.length ?? 0) !== points) {
        throw new Error(`run ${runId}: history of ${key} has ${metrics?.length ?? 0} points, expected ${points}`);
      }
    }
  });

/**
 * (a) Sequential `runs/log-metric` into one run, until the call count or the time is reached, on one fresh
 * kept-alive connection: the MLflow client sends its calls through one `requests.Session` per process
 * (mlflow/utils/request_utils.py, `_cached_get_request_session`), so its calls reuse a connection the same way.
 * Then, for comparison only, a few seconds more with a new connection for every call (a client without
 * keep-alive), printed beside it.
 */
export const logMetricSequential = async ({ url, config, experimentId, random }: WriteContext): Promise<WorkloadResult> => {
  const phase = stopwatch();
  const runId = await withClient(url, 1, (client) => createRun(client, experimentId, 'a-log-metric'));
  log(`(a) log-metric: up to ${fmt(config.logMetricCalls, 0)} sequential calls or ${config.logMetricSeconds} s into run ${runId}`);
  const baseTimestamp = Date.now();
  let step = 0;
  const sequential = (fresh: boolean, maxCalls: number, seconds: number) =>
    withClient(url, 1, async (client) => {
      const latencies: number[] = [];
      const limitMs = seconds * 1000;
      const clock = stopwatch();
      let lastProgress = 0;
      while (latencies.length < maxCalls && clock() < limitMs) {
        const sent = performance.now();
        await client.post('/runs/log-metric', { run_id: runId, key: 'loss', value: random(), timestamp: baseTimestamp + step, step });
        step++;
        latencies.push(performance.now() - sent);
        if (clock() - lastProgress >= 2_000) {
          lastProgress = clock();
          log(`(a)   ${fmt(latencies.length, 0)} calls, ${fmt(latencies.length / (clock() / 1000), 0)} req/s so far${fresh ? ' (a new connection each)' : ''}`);
        }
      }
      return { latencies, elapsed: clock(), sockets: client.socketsOpened };
    }, { fresh });
  const { latencies, elapsed, sockets } = await sequential(false, config.logMetricCalls, config.logMetricSeconds);
  const rps = latencies.length / (elapsed / 1000);
  log(`(a) ${fmt(latencies.length, 0)} calls in ${fmt(elapsed / 1000, 2)} s = ${fmt(rps, 0)} req/s; now ${config.logMetricFreshSeconds} s with a new connection per call`);
  const fresh = await sequential(true, config.logMetricCalls, config.logMetricFreshSeconds);
  const freshRps = fresh.latencies.length / (fresh.elapsed / 1000);
  await verifyRun(url, runId, [{ key: 'loss', points: step, lastStep: step - 1 }]);
  const lat = summarize(latencies);
  const freshLat = summarize(fresh.latencies);
  log(`(a) done: ${fmt(rps, 0)} req/s on one connection, ${fmt(freshRps, 0)} req/s with a new connection per call (${fmt(step, 0)} points verified)`);
  return {
    name: '(a) log-metric',
    rows: [throughputRow('(a) log-metric, sequential, 1 run', 'req/s', rps, REFERENCE.logMetricRps, TARGET_FACTOR.logMetricRps)],
    details: [
      `(a) ${fmt(latencies.length, 0)} calls in ${fmt(elapsed / 1000, 2)} s over ${sockets} connection(s); latency p50 ${fmtMs(lat.p50)}, p95 ${fmtMs(lat.p95)}, p99 ${fmtMs(lat.p99)}, max ${fmtMs(lat.max)}`,
      `(a) with a new connection per call (no keep-alive, not the MLflow client's way): ${fmt(freshRps, 0)} req/s, ${fmt(fresh.latencies.length, 0)} calls over ${fresh.sockets} connections; p50 ${fmtMs(freshLat.p50)}, p95 ${fmtMs(freshLat.p95)}`,
    ],
    phaseMs: phase(),
  };
};

/** (b) Sequential `runs/log-batch` of `batchPoints` points of one key per call, into one run. */
export const logBatchSequential = async ({ url, config, experimentId, random }: WriteContext): Promise<WorkloadResult> => {
  const phase = stopwatch();
  const runId = await withClient(url, 1, (client) => createRun(client, experimentId, 'b-log-batch'));
  const total = config.batchCalls * config.batchPoints;
  log(`(b) log-batch: ${fmt(config.batchCalls, 0)} sequential calls of ${fmt(config.batchPoints, 0)} points of one key (${fmt(total, 0)} points)`);
  const baseTimestamp = Date.now();
  // Built before the clock starts, as a training loop has its points at hand; serializing them is timed.
  const batches = Array.from({ length: config.batchCalls }, (_, call) =>
    metricBatch('loss', call * config.batchPoints, config.batchPoints, baseTimestamp + call * config.batchPoints, random),
  );
  const latencies: number[] = [];
  const { elapsed, sockets } = await withClient(url, 1, async (client) => {
    const clock = stopwatch();
    for (const [call, metrics] of batches.entries()) {
      const sent = performance.now();
      await logBatch(client, runId, { metrics });
      latencies.push(performance.now() - sent);
      if ((call + 1) % Math.max(1, Math.floor(config.batchCalls / 4)) === 0 && call + 1 < config.batchCalls) {
        log(`(b)   ${fmt(call + 1, 0)}/${fmt(config.batchCalls, 0)} calls, ${fmt(((call + 1) * config.batchPoints) / (clock() / 1000), 0)} points/s so far`);
      }
    }
    return { elapsed: clock(), sockets: client.socketsOpened };
  });
  await verifyRun(url, runId, [{ key: 'loss', points: total, lastStep: total - 1 }]);
  const pointsPerSecond = total / (elapsed / 1000);
  const lat = summarize(latencies);
  log(`(b) done: ${fmt(total, 0)} points in ${fmt(elapsed / 1000, 2)} s = ${fmt(pointsPerSecond, 0)} points/s (verified)`);
  return {
    name: '(b) log-batch',
    rows: [
      throughputRow(
        `(b) log-batch ${fmt(config.batchPoints, 0)} pts × 1 key, sequential`,
        'points/s',
        pointsPerSecond,
        REFERENCE.batchPointsPerSecond,
        TARGET_FACTOR.batchPointsPerSecond,
      ),
    ],
    details: [
      `(b) ${fmt(config.batchCalls, 0)} calls in ${fmt(elapsed / 1000, 2)} s over ${sockets} connection(s); per call p50 ${fmtMs(lat.p50)}, p95 ${fmtMs(lat.p95)}, max ${fmtMs(lat.max)}`,
    ],
    phaseMs: phase(),
  };
};

/** (e) `writers` concurrent writers into ONE run, each its own key, each a sequential loop of log-batch calls. */
export const concurrentWriters = async ({ url, config, experimentId, random }: WriteContext): Promise<WorkloadResult> => {
  const phase = stopwatch();
  const runId = await withClient(url, 1, (client) => createRun(client, experimentId, 'e-concurrent-writers'));
  const perWriter = config.batchesPerWriter * config.batchPoints;
  const total = config.writers * perWriter;
  log(
    `(e) ${config.writers} concurrent writers into one run, one key each, ${fmt(config.batchesPerWriter, 0)} sequential log-batch calls of ${fmt(config.batchPoints, 0)} points each (${fmt(total, 0)} points)`,
  );
  const baseTimestamp = Date.now();
  const keys = Array.from({ length: config.writers }, (_, writer) => `loss_${writer}`);
  const batches = keys.map((key) =>
    Array.from({ length: config.batchesPerWriter }, (_, call) =>
      metricBatch(key, call * config.batchPoints, config.batchPoints, baseTimestamp + call * config.batchPoints, random),
    ),
  );
  const latencies: number[] = [];
  const { elapsed, sockets } = await withClient(url, config.writers, async (client) => {
    const clock = stopwatch();
    await runConcurrently(config.writers, config.writers, async (writer) => {
      for (const metrics of batches[writer] ?? []) {
        const sent = performance.now();
        await logBatch(client, runId, { metrics });
        latencies.push(performance.now() - sent);
      }
    });
    return { elapsed: clock(), sockets: client.socketsOpened };
  });
  await verifyRun(
    url,
    runId,
    keys.map((key) => ({ key, points: perWriter, lastStep: perWriter - 1 })),
  );
  const pointsPerSecond = total / (elapsed / 1000);
  const lat = summarize(latencies);
  log(`(e) done: ${fmt(total, 0)} points in ${fmt(elapsed / 1000, 2)} s = ${fmt(pointsPerSecond, 0)} points/s (verified)`);
  return {
    name: '(e) concurrent writers',
    rows: [
      throughputRow(
        `(e) ${config.writers} writers × log-batch ${fmt(config.batchPoints, 0)}, 1 run, ${config.writers} keys`,
        'points/s',
        pointsPerSecond,
        REFERENCE.concurrentPointsPerSecond,
        TARGET_FACTOR.concurrentPointsPerSecond,
      ),
    ],
    details: [
      `(e) ${fmt(latencies.length, 0)} calls in ${fmt(elapsed / 1000, 2)} s over ${sockets} connection(s); per call p50 ${fmtMs(lat.p50)}, p95 ${fmtMs(lat.p95)}, max ${fmtMs(lat.max)}`,
    ],
    phaseMs: phase(),
  };
};
