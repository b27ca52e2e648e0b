/** Workloads (c) search runs and (d) paged metric history. */
import { REFERENCE, TARGET_ABSOLUTE } from './config.js';
import { createJsonClient, runConcurrently, type JsonClient } from './http.js';
import { fmt, fmtMs, fmtSeconds, infoRow, latencyRow, log, stopwatch, summarize, type WorkloadResult } from './report.js';
import { benchPrefix, createExperiment, createRun, logBatch, metricBatch, type MetricJson } from './setup.js';
import type { WriteContext } from './writes.js';

const SEARCH_FILTER = "metrics.m1 > 0.5 and params.p1 = 'a'";
const SEARCH_ORDER = 'metrics.m2 DESC';
const SEARCH_PAGE = 100;

interface SearchedRun {
  info?: { run_id?: string };
  data?: { metrics?: MetricJson[]; params?: { key: string; value: string }[] };
}
interface SearchAnswer {
  runs?: SearchedRun[];
  next_page_token?: string;
}
interface Populated {
  runId: string;
  p1: string;
  m1: number;
  m2: number;
}

/** The answer is right: exactly the expected runs in order, and each one visibly matches the filter. */
const verifySearch = (answer: SearchAnswer, expectedIds: string[], moreExist: boolean, label: string): void => {
  const fail = (why: string) => {
    throw new Error(`(c) ${label} search answered wrongly: ${why}`);
  };
  const runs = answer.runs ?? [];
  if (runs.length !== expectedIds.length) fail(`${runs.length} runs, expected ${expectedIds.length}`);
  let previous = Number.POSITIVE_INFINITY;
  runs.forEach((run, index) => {
    const metric = (key: string) => run.data?.metrics?.find((m) => m.key === key)?.value;
    const m1 = metric('m1');
    const m2 = metric('m2');
    const p1 = run.data?.params?.find((p) => p.key === 'p1')?.value;
    if (typeof m1 !== 'number' || !(m1 > 0.5)) fail(`run #${index} has m1 = ${String(m1)}`);
    if (p1 !== 'a') fail(`run #${index} has p1 = ${String(p1)}`);
    if (typeof m2 !== 'number' || m2 > previous) fail(`run #${index} breaks the m2 DESC order (${String(m2)} after ${previous})`);
    previous = m2 as number;
    if (run.info?.run_id !== expectedIds[index]) fail(`run #${index} is ${String(run.info?.run_id)}, expected ${expectedIds[index]}`);
  });
  if (moreExist !== Boolean(answer.next_page_token)) fail(`next_page_token ${answer.next_page_token ? 'present' : 'absent'}, more runs ${moreExist ? 'exist' : 'do not exist'}`);
};

/** (c) Populate an experiment of `searchRuns` runs, then time the cold search and `searches` warm ones. */
export const searchRuns = async ({ url, config, random }: Omit<WriteContext, 'experimentId'>): Promise<WorkloadResult> => {
  const phase = stopwatch();
  const populated: Populated[] = [];
  const populate = await (async () => {
    const client = createJsonClient(url, { connections: config.populateConcurrency });
    try {
      const experimentId = await createExperiment(client, `${benchPrefix}-search`);
      log(`(c) populating experiment ${experimentId}: ${fmt(config.searchRuns, 0)} runs (runs/create + one log-batch of 3 params and 3 metrics each), ${config.populateConcurrency} requests in flight`);
      const clock = stopwatch();
      const every = Math.max(1, Math.floor(config.searchRuns / 10));
      let done = 0;
      await runConcurrently(config.searchRuns, config.populateConcurrency, async (index) => {
        const p1 = ['a', 'b', 'c'][Math.floor(random() * 3)] ?? 'a';
        const m = [random(), random(), random()] as const;
        const runId = await createRun(client, experimentId, `c-${index}`);
        const timestamp = Date.now();
        await logBatch(client, runId, {
          params: [
            { key: 'p1', value: p1 },
            { key: 'p2', value: `v${Math.floor(random() * 10)}` },
            { key: 'p3', value: String(index) },
          ],
          metrics: m.map((value, i) => ({ key: `m${i + 1}`, value, timestamp, step: 0 })),
        });
        populated.push({ runId, p1, m1: m[0], m2: m[1] });
        if (++done % every === 0 && done < config.searchRuns) {
          log(`(c)   ${fmt(done, 0)}/${fmt(config.searchRuns, 0)} runs, ${fmt(done / (clock() / 1000), 0)} runs/s`);
        }
      });
      return { ms: clock(), experimentId };
    } finally {
      client.close();
    }
  })();
  const { experimentId } = populate;
  log(`(c) populated ${fmt(populated.length, 0)} runs in ${fmtSeconds(populate.ms)} (${fmt(populated.length / (populate.ms / 1000), 0)} runs/s)`);

  const matching = populated.filter((run) => run.m1 > 0.5 && run.p1 === 'a').sort((a, b) => b.m2 - a.m2);
  const expectedIds = matching.slice(0, SEARCH_PAGE).map((run) => run.runId);
  const moreExist = matching.length > SEARCH_PAGE;
  const body = { experiment_ids: [experimentId], filter: SEARCH_FILTER, order_by: [SEARCH_ORDER], max_results: SEARCH_PAGE };

  const client: JsonClient = createJsonClient(url, { connections: 1 });
  let coldMs = Number.NaN;
  const latencies: number[] = [];
  try {
    log(`(c) cold search (loads the experiment's in-memory index): ${SEARCH_FILTER}, order by ${SEARCH_ORDER}, max ${SEARCH_PAGE}`);
    let sent = performance.now();
    const cold = await client.post<SearchAnswer>('/runs/search', body);
    coldMs = performance.now() - sent;
    verifySearch(cold, expectedIds, moreExist, 'cold');
    log(`(c) cold search ${fmtMs(coldMs)}, ${fmt(matching.length, 0)} runs match, top ${expectedIds.length} verified; now ${fmt(config.searches, 0)} sequential searches`);
    for (let i = 0; i < config.searches; i++) {
      sent = performance.now();
      const answer = await client.post<SearchAnswer>('/runs/search', body);
      latencies.push(performance.now() - sent);
      verifySearch(answer, expectedIds, moreExist, `#${i + 1}`);
    }
  } finally {
    client.close();
  }
  const lat = summarize(latencies);
  log(`(c) done: p50 ${fmtMs(lat.p50)}, p95 ${fmtMs(lat.p95)} (every answer verified)`);
  return {
    name: '(c) search runs',
    rows: [
      infoRow(`(c) populate ${fmt(config.searchRuns, 0)} runs (${config.populateConcurrency} in flight)`, 'seconds', fmtSeconds(populate.ms), `${fmt(populated.length / (populate.ms / 1000), 0)} runs/s (informational)`),
      infoRow('(c) search, cold (first: loads the snapshot)', 'ms', fmtMs(coldMs), 'snapshot + runs logged since its last rebuild'),
      latencyRow(`(c) search, warm, ${fmt(config.searches, 0)} sequential`, 'p50', lat.p50, 'ms', REFERENCE.searchP50Ms, TARGET_ABSOLUTE.searchP50Ms),
      latencyRow(`(c) search, warm, ${fmt(config.searches, 0)} sequential`, 'p95', lat.p95, 'ms', undefined, undefined),
    ],
    details: [
      `(c) ${fmt(matching.length, 0)} of ${fmt(populated.length, 0)} runs match the filter; every answer had the expected ${expectedIds.length} runs in order`,
      `(c) warm search latency: min ${fmtMs(lat.min)}, p50 ${fmtMs(lat.p50)}, p95 ${fmtMs(lat.p95)}, p99 ${fmtMs(lat.p99)}, max ${fmtMs(lat.max)}, mean ${fmtMs(lat.mean)}`,
    ],
    phaseMs: phase(),
  };
};

/** (d) Read a long metric history page by page, as `MlflowClient.get_metric_history` does. */
export const pagedHistory = async ({ url, config, experimentId, random }: WriteContext): Promise<WorkloadResult> => {
  const phase = stopwatch();
  const total = config.historyPoints;
  const runId = await (async () => {
    const client = createJsonClient(url, { connections: 1 });
    try {
      const id = await createRun(client, experimentId, 'd-history');
      log(`(d) populating run ${id}: ${fmt(total, 0)} points of one key via log-batch of ${fmt(config.batchPoints, 0)}`);
      const clock = stopwatch();
      const baseTimestamp = Date.now();
      for (let first = 0; first < total; first += config.batchPoints) {
        const count = Math.min(config.batchPoints, total - first);
        await logBatch(client, id, { metrics: metricBatch('history', first, count, baseTimestamp + first, random) });
      }
      log(`(d) populated in ${fmtSeconds(clock())}`);
      return id;
    } finally {
      client.close();
    }
  })();

  const reads: number[] = [];
  let pages = 0;
  for (let read = 0; read < config.historyReads; read++) {
    const client = createJsonClient(url, { connections: 1 });
    try {
      const clock = stopwatch();
      const steps = new Set<number>();
      let points = 0;
      let pageToken: string | undefined;
      pages = 0;
      do {
        const answer = await client.get<{ metrics?: MetricJson[]; next_page_token?: string }>('/metrics/get-history', {
          run_id: runId,
          metric_key: 'history',
          max_results: config.historyPageSize,
          page_token: pageToken,
        });
        pages++;
        for (const point of answer.metrics ?? []) steps.add(point.step);
        points += answer.metrics?.length ?? 0;
        pageToken = answer.next_page_token || undefined;
        if (pages > total / config.historyPageSize + 2) throw new Error(`(d) get-history keeps paging after ${pages} pages`);
      } while (pageToken);
      const ms = clock();
      if (points !== total || steps.size !== total) {
        throw new Error(`(d) get-history returned ${points} points (${steps.size} distinct steps), expected ${total}`);
      }
      reads.push(ms);
      log(`(d) read ${read + 1}/${config.historyReads}: ${fmt(points, 0)} points in ${pages} pages, ${fmtSeconds(ms)} (verified)`);
    } finally {
      client.close();
    }
  }
  const first = reads[0] ?? Number.NaN;
  const lat = summarize(reads);
  return {
    name: '(d) metric history',
    rows: [
      latencyRow(`(d) get-history ${fmt(total, 0)} pts, pages of ${fmt(config.historyPageSize, 0)}`, 'first read', first / 1000, 's', REFERENCE.historySeconds, TARGET_ABSOLUTE.historySeconds),
      latencyRow(`(d) get-history ${fmt(total, 0)} pts, pages of ${fmt(config.historyPageSize, 0)}`, `median of ${reads.length}`, lat.p50 / 1000, 's', REFERENCE.historySeconds, TARGET_ABSOLUTE.historySeconds),
    ],
    details: [`(d) ${pages} pages per read; reads took ${reads.map((ms) => fmtSeconds(ms)).join(', ')}`],
    phaseMs: phase(),
  };
};
