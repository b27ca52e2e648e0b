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
 * GetMetricHistoryBulkInterval: for each run, up to `maxResults` points sampled evenly over the steps in
 * range, always keeping the first and last step (mlflow/server/handlers.py `get_metric_history_bulk_interval`).
 */
export const getMetricHistoryBulkInterval = async (
  deps: TrackingDeps,
  request: { runIds: string[]; key: string; startStep?: number; endStep?: number; maxResults?: number },
): Promise<MetricPoint[]> => {
  if (request.runIds.length === 0) throw invalidParameter('GetMetricHistoryBulkInterval request must specify at least one run_id.');
  if (request.runIds.length > MAX_RUNS) {
    throw invalidParameter(`GetMetricHistoryBulkInterval request cannot specify more than ${MAX_RUNS} run_ids. Received ${request.runIds.length} run_ids.`);
  }
  if ((request.startStep === undefined) !== (request.endStep === undefined)) {
    throw invalidParameter('If either start step or end step are specified, both must be specified.');
  }
  if (request.startStep !== undefined && request.endStep !== undefined && request.startStep > request.endStep) {
    throw invalidParameter('end_step must be greater than start_step. ');
  }
  const maxResults = request.maxResults ?? MAX_POINTS_PER_RUN;
  if (maxResults < 1 || maxResults > MAX_POINTS_PER_RUN) {
    throw invalidParameter(`max_results must be between 1 and ${MAX_POINTS_PER_RUN}.`);
  }
  const histories = await Promise.all(
    [...new Set(request.runIds)].map(async (runId) => {
      const points = (await deps.metrics.history(runId, request.key)).filter(
        (p) => request.startStep === undefined || (p.step >= request.startStep && p.step <= (request.endStep ?? p.step)),
      );
      return sampleSteps(points, maxResults).map((p) => ({ key: p.key, value: p.value, timestamp: p.timestamp, step: p.step, runId }));
    }),
  );
  return histories.flat().sort((a, b) => a.runId.localeCompare(b.runId) || a.step - b.step || a.timestamp - b.timestamp);
};

const sampleSteps = (points: MetricPoint[], maxResults: number): MetricPoint[] => {
  const steps = [...new Set(points.map((p) => p.step))].sort((a, b) => a - b);
  if (steps.length <= maxResults) return points;
  const chosen = new Set<number>();
  const stride = (steps.length - 1) / (maxResults - 1 || 1);
  for (let index = 0; index < maxResults; index++) chosen.add(steps[Math.round(index * stride)] ?? 0);
  return points.filter((p) => chosen.has(p.step));
};
