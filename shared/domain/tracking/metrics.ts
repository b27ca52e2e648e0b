import { invalidParameter } from '../../errors/index.js';
import type { MetricPoint } from './entities.js';
import type { TrackingPorts } from './ports.js';
import { decodePageToken, encodePageToken, type PageScope } from '../kernel/page-token.js';
import { PAGE_SIZES, pageSizeOf } from '../kernel/pagination.js';

/**
 * GetMetricHistory. The reference answers `{}` for an unknown run or key rather than an error, so this
 * does too. A paged read keeps its sorted history in a snapshot between pages (history-snapshots.ts).
 * Without max_results (or with 0, a proto's unset value) the whole history is one page, as for MLflow
 * clients that do not page; a larger page than 25,000 points is cut there, with a token.
 */
export const getMetricHistory = async (
  deps: Pick<TrackingPorts, 'metrics' | 'historySnapshots'>,
  request: { runId: string; key: string; maxResults?: number; pageToken?: string },
) => {
  const scope: PageScope = { kind: 'metrics/get-history', request: [request.runId, request.key] };
  const owner = JSON.stringify(scope.request);
  const position = decodePageToken(request.pageToken, scope, readHistoryPosition) ?? { offset: 0 };
  const wholeHistory = request.maxResults === undefined || request.maxResults === 0;
  const requestedSize = wholeHistory ? undefined : pageSizeOf(request.maxResults, PAGE_SIZES.metricHistory);
  const kept = deps.historySnapshots.get(position.snapshot, owner);
  const history = kept ?? (await deps.metrics.history(request.runId, request.key));
  const pageSize = requestedSize ?? Math.max(history.length, 1);
  const page = history.slice(position.offset, position.offset + pageSize);
  if (position.offset + pageSize >= history.length) return { page, nextPageToken: undefined };
  const snapshot = kept && position.snapshot ? position.snapshot : deps.historySnapshots.put(history, owner);
  return { page, nextPageToken: encodePageToken(scope, { offset: position.offset + pageSize, snapshot }) };
};

const readHistoryPosition = (position: unknown): { offset: number; snapshot?: string } | undefined => {
  if (typeof position !== 'object' || position === null) return undefined;
  const { offset, snapshot } = position as { offset?: unknown; snapshot?: unknown };
  if (typeof offset !== 'number' || !Number.isSafeInteger(offset) || offset < 0) return undefined;
  if (snapshot === undefined) return { offset };
  return typeof snapshot === 'string' && snapshot.length <= 64 ? { offset, snapshot } : undefined;
};

const MAX_RUNS = 100;
const MAX_POINTS_PER_RUN = 2500;

/**
 * GetMetricHistoryBulkInterval, as MLflow's handler computes it (handlers.py
 * `get_metric_history_bulk_interval_impl`): steps are sampled from the union of the runs' steps in range
 * (by default 0 to the last step), every run's first and last step in range are added, and each run
 * answers its points at those steps, by step then timestamp.
 */
export const getMetricHistoryBulkInterval = async (
  deps: Pick<TrackingPorts, 'metrics'>,
  request: { runIds: string[]; key: string; startStep?: number; endStep?: number; maxResults?: number },
): Promise<MetricPoint[]> => {
  if (request.runIds.length > MAX_RUNS) {
    throw invalidParameter(
      `GetMetricHistoryBulkInterval request must specify at most ${MAX_RUNS} run_ids. Received ${request.runIds.length} run_ids.`,
    );
  }
  const maxResults = request.maxResults ?? MAX_POINTS_PER_RUN;
  if (maxResults < 1 || maxResults > MAX_POINTS_PER_RUN) {
    throw invalidParameter(`max_results must be between 1 and ${MAX_POINTS_PER_RUN}.`);
  }
  if ((request.startStep === undefined) !== (request.endStep === undefined)) {
    throw invalidParameter('If either start step or end step are specified, both must be specified.');
  }
  if (request.startStep !== undefined && request.endStep !== undefined && request.startStep > request.endStep) {
    throw invalidParameter(
      `end_step must be greater than start_step. Found start_step=${request.startStep} and end_step=${request.endStep}.`,
    );
  }
  const histories = await Promise.all(request.runIds.map((runId) => deps.metrics.history(runId, request.key)));
  const allSteps = [...new Set(histories.flatMap((points) => points.map((p) => p.step)))].sort((a, b) => a - b);
  const startStep = request.startStep ?? 0;
  const endStep = request.endStep ?? allSteps[allSteps.length - 1] ?? 0;
  const inRange = (step: number) => step >= startStep && step <= endStep;
  const steps = sampleSteps(allSteps.filter(inRange), maxResults);
  for (const points of histories) {
    if (points.length === 0) continue;
    const runSteps = points.map((p) => p.step);
    for (const edge of [Math.min(...runSteps), Math.max(...runSteps)]) if (inRange(edge)) steps.add(edge);
  }
  return request.runIds.flatMap((runId, index) =>
    (histories[index] ?? [])
      .filter((p) => steps.has(p.step))
      .sort((a, b) => a.step - b.step || a.timestamp - b.timestamp)
      .map((p) => ({ key: p.key, value: p.value, timestamp: p.timestamp, step: p.step, runId })),
  );
};

/** `_get_sampled_steps_from_steps`: every `len/max`-th step of the sorted range, and its last one. */
const sampleSteps = (sortedSteps: number[], maxResults: number): Set<number> => {
  if (sortedSteps.length <= maxResults) return new Set(sortedSteps);
  const interval = sortedSteps.length / maxResults;
  const sampled = new Set<number>();
  for (let i = 0; i < maxResults; i++) sampled.add(sortedSteps[Math.floor(i * interval)] ?? 0);
  sampled.add(sortedSteps[sortedSteps.length - 1] ?? 0);
  return sampled;
};
