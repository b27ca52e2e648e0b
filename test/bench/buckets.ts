/**
 * `npx tsx test/bench/buckets.ts`: how long the history-buckets read takes for a 1,000,000-point history.
 *   (1) the bucketing alone, on packed chunks in memory (what the endpoint does after DynamoDB answers):
 *       chunks in order (the usual case) and chunks interleaved (the sort fallback);
 *   (2) end to end over HTTP against `npm start`'s server (dynoxide / DynamoDB Local): the history logged
 *       with log-batch (1,000 points a call), then read back as 2,000 buckets, whole and zoomed.
 * Prints figures; never fails on time. BENCH_BUCKET_POINTS lowers the size; BENCH_BUCKET_HTTP=0 skips (2).
 */
import { performance } from 'node:perf_hooks';
import { packPoints, MAX_POINTS_PER_CHUNK } from '../../shared/data/metrics/chunk-codec.js';
import { triplesOf } from '../../shared/data/metrics/packed-history.js';
import { bucketHistory, type BucketedSeries } from '../../shared/domain/tracking/metric-buckets.js';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startLocalServer, LOCAL_TABLE_NAME } from '../../functions/local/server.js';
import { createDynamoClient } from '../../shared/data/dynamo-client.js';
import { clearPackedHistoryCache, readPackedHistory } from '../../shared/data/metrics/packed-history.js';
import { createJsonClient } from './http.js';

const POINTS = Number(process.env.BENCH_BUCKET_POINTS ?? 1_000_000);
const BUCKETS = 2000;
const SPIKE_STEP = Math.floor(POINTS * 0.618);
const valueAt = (step: number) => (step === SPIKE_STEP ? 1e6 : Math.sin(step / 1000) + (step % 7) / 100);

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const ms = (value: number) => `${value.toFixed(1)} ms`;
const spikeKept = (series: BucketedSeries) =>
  series.kind === 'buckets' ? series.max.includes(1e6) : series.values.includes(1e6);

const timeIt = (repeat: number, work: () => BucketedSeries) => {
  const times: number[] = [];
  let last: BucketedSeries | undefined;
  for (let i = 0; i < repeat; i++) {
    const start = performance.now();
    last = work();
    times.push(performance.now() - start);
  }
  return { median: median(times), series: last! };
};

/** Packed chunks as the codec writes them (24 bytes a point), read back as the endpoint reads them. */
const packedChunks = (chunkSize: number) => {
  const chunks: Float64Array[] = [];
  for (let from = 0; from < POINTS; from += chunkSize) {
    const points = Array.from({ length: Math.min(chunkSize, POINTS - from) }, (_, i) => ({
      key: 'loss',
      step: from + i,
      timestamp: 1_700_000_000_000 + (from + i) * 10,
      value: valueAt(from + i),
    }));
    const packed = packPoints(points);
    chunks.push(triplesOf(new Uint8Array(packed.buffer, packed.byteOffset, packed.byteLength), points.length));
  }
  return chunks;
};

console.log(`History buckets benchmark: ${POINTS.toLocaleString('en')} points, ${BUCKETS} buckets, spike at step ${SPIKE_STEP}`);
const ordered = packedChunks(MAX_POINTS_PER_CHUNK);
const inOrder = timeIt(10, () => bucketHistory(ordered, { xAxis: 'step', buckets: BUCKETS }));
console.log(`  (1) bucketing in memory, ${ordered.length} chunks in order:      ${ms(inOrder.median)} (median of 10), spike kept: ${spikeKept(inOrder.series)}`);
const byTime = timeIt(10, () => bucketHistory(ordered, { xAxis: 'timestamp', buckets: BUCKETS }));
console.log(`      by wall time:                                   ${ms(byTime.median)}, spike kept: ${spikeKept(byTime.series)}`);
const zoom = timeIt(10, () => bucketHistory(ordered, { xAxis: 'step', xMin: SPIKE_STEP - 5000, xMax: SPIKE_STEP + 5000, buckets: BUCKETS }));
console.log(`      zoomed to 10,001 steps:                         ${ms(zoom.median)}, spike kept: ${spikeKept(zoom.series)}`);
// Two writers logging the same steps in turn: every chunk overlaps the others, so the sort runs.
const interleaved = [...ordered].reverse();
const shuffled = timeIt(3, () => bucketHistory(interleaved.map((c, i) => (i % 2 ? c : c.slice())), { xAxis: 'timestamp', buckets: BUCKETS }));
const mixed = ordered.map((chunk) => chunk.slice());
for (let i = 0; i + 3 < mixed[0]!.length; i += 6) [mixed[0]![i + 1], mixed[0]![i + 4]] = [mixed[0]![i + 4]!, mixed[0]![i + 1]!];
const unsorted = timeIt(3, () => bucketHistory(mixed, { xAxis: 'step', buckets: BUCKETS }));
console.log(`      chunks in reverse write order:                  ${ms(shuffled.median)}; out-of-order points (sort fallback): ${ms(unsorted.median)}`);

if (process.env.BENCH_BUCKET_HTTP !== '0') {
  const dataDir = await mkdtemp(join(tmpdir(), 'cairn-bench-buckets-'));
  const server = await startLocalServer({ host: '127.0.0.1', port: 0, dataDir });
  const engineKind = server.engine?.kind ?? 'external';
  const client = createJsonClient(server.url, { connections: 4 });
  try {
    const { experiment_id } = await client.post<{ experiment_id: string }>('/experiments/create', { name: `bench-buckets-${Date.now()}` });
    const { run } = await client.post<{ run: { info: { run_id: string } } }>('/runs/create', { experiment_id });
    const runId = run.info.run_id;
    const logStart = performance.now();
    const batches: Promise<unknown>[] = [];
    for (let from = 0; from < POINTS; from += 1000) {
      const metrics = Array.from({ length: Math.min(1000, POINTS - from) }, (_, i) => ({
        key: 'loss', step: from + i, timestamp: 1_700_000_000_000 + (from + i) * 10, value: valueAt(from + i),
      }));
      batches.push(client.post('/runs/log-batch', { run_id: runId, metrics }));
      if (batches.length >= 4) await Promise.all(batches.splice(0));
    }
    await Promise.all(batches);
    console.log(`  (2) over HTTP on ${engineKind}: history logged in ${((performance.now() - logStart) / 1000).toFixed(1)} s (${Math.ceil(POINTS / 1000)} log-batch calls, one chunk each)`);
    const read = async (body: Record<string, unknown>, cold = false) => {
      const times: number[] = [];
      let answer: any;
      for (let i = 0; i < (cold ? 1 : 5); i++) {
        if (cold) clearPackedHistoryCache();
        const start = performance.now();
        const response = await fetch(`${server.url}/api/2.0/cairn/metrics/history-buckets`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ run_ids: [runId], metric_keys: ['loss'], buckets: BUCKETS, ...body }),
        });
        answer = await response.json();
        if (response.status !== 200) throw new Error(`history-buckets answered ${response.status}: ${JSON.stringify(answer)}`);
        times.push(performance.now() - start);
      }
      return { median: median(times), spike: (answer.series[0].buckets?.max ?? answer.series[0].points.value).includes(1e6) };
    };
    const first = await read({}, true);
    console.log(`      history-buckets, whole history, first read:     ${ms(first.median)}, spike kept: ${first.spike}`);
    const whole = await read({});
    console.log(`      history-buckets, whole history, read again:     ${ms(whole.median)} (median of 5), spike kept: ${whole.spike}`);
    const zoomed = await read({ x_min: SPIKE_STEP - 5000, x_max: SPIKE_STEP + 5000 });
    console.log(`      history-buckets, zoomed to 10,001 steps:        ${ms(zoomed.median)}, spike kept: ${zoomed.spike}`);
    // Where the time goes: reading the chunks (engine + SDK) against bucketing them.
    const db = { client: createDynamoClient({ endpoint: server.engine?.endpoint ?? '' }), tableName: LOCAL_TABLE_NAME };
    const reads: number[] = [];
    const warmReads: number[] = [];
    const buckets: number[] = [];
    for (let i = 0; i < 5; i++) {
      clearPackedHistoryCache();
      const start = performance.now();
      const chunks = await readPackedHistory(db, runId, 'loss');
      reads.push(performance.now() - start);
      const mid = performance.now();
      bucketHistory(chunks.map((c) => c.triples), { xAxis: 'step', buckets: BUCKETS });
      buckets.push(performance.now() - mid);
      const again = performance.now();
      await readPackedHistory(db, runId, 'loss');
      warmReads.push(performance.now() - again);
    }
    console.log(`      of which reading the ${POINTS / 1000} chunks from ${engineKind}: ${ms(median(reads))} (again, keys only: ${ms(median(warmReads))}); bucketing them: ${ms(median(buckets))}`);
  } finally {
    client.close();
    await server.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
}
