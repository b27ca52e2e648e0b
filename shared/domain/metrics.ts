import { invalidParameter } from '../errors/index.js';
import type { TrackingDeps } from './dependencies.js';
import type { MetricPoint } from './entities.js';
import { decodeOffsetToken } from './pagination.js';

/**
 * GetMetricHistory. The reference answers `{}` for an unknown run or key rather than an error, so this
 * does too. A paged read keeps its sorted history in a snapshot between pages (history-snapshots.ts).
 */
export const getMetricHistory = async (
  deps: TrackingDeps,
  request: { runId: string; key: string; maxResults?: number; pageToken?: string },
) => {
  const token = decodeHistoryToken(request.pageToken);
  const history = deps.historySnapshots.get(token.snapshot) ?? (await deps.metrics.history(request.runId, request.key));
  const pageSize = request.maxResults && request.maxResults > 0 ? request.maxResults : history.length || 1;
  const page = history.slice(token.offset, token.offset + pageSize);
  if (token.offset + pageSize >= history.length) return { page, nextPageToken: undefined };
  const snapshot = token.snapshot && deps.historySnapshots.get(token.snapshot) ? token.snapshot : deps.historySnapshots.put(history);
  return { page, nextPageToken: encodeHistoryToken({ offset: token.offset + pageSize, snapshot }) };
};

const encodeHistoryToken = (token: { offset: number; snapshot: string }) =>
  Buffer.from(JSON.stringify(token)).toString('base64');

const decodeHistoryToken = (token: string | undefined): { offset: number; snapshot?: string } => {
  const offset = decodeOffsetToken(token);
  if (!token) return { offset };
  const { snapshot } = JSON.parse(Buffer.from(token, 'base64').toString('utf8')) as { snapshot?: unknown };
  return typeof snapshot === 'string' ? { offset, snapshot } : { offset };
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
  deps: TrackingDeps,
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
