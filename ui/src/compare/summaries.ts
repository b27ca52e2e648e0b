import { apiFetch } from '../api/client';
import type { BucketsResponse } from '../charts/buckets';
import type { MetricSummaries } from './model';

const fetchBucketsRaw = (runIds: string[], metricKeys: string[], signal?: AbortSignal) =>
  apiFetch<BucketsResponse>('/api/2.0/cairn/metrics/history-buckets', {
    method: 'POST',
    signal,
    body: { run_ids: runIds, metric_keys: metricKeys, x_axis: 'step', buckets: 1 },
  });

const toNumber = (value: number | string): number => (typeof value === 'number' ? value : Number(value));

/**
 * Min and max of every metric of the runs, from the history-buckets endpoint asked for one bucket: a
 * history of one point answers that point, a longer one a single bucket holding its min and max.
 */
export const fetchMetricSummaries = async (runIds: string[], metricKeys: string[], signal?: AbortSignal): Promise<MetricSummaries> => {
  const summaries: MetricSummaries = new Map(runIds.map((id) => [id, new Map()]));
  const requests: Promise<void>[] = [];
  for (let r = 0; r < runIds.length; r += 100) {
    for (let k = 0; k < metricKeys.length; k += 20) {
      const runs = runIds.slice(r, r + 100);
      const keys = metricKeys.slice(k, k + 20);
      requests.push(
        fetchBucketsRaw(runs, keys, signal).then((answer) => {
          for (const s of answer.series) {
            const values = s.buckets ? null : (s.points?.value ?? []).map(toNumber).filter((v) => !Number.isNaN(v));
            const min = s.buckets ? toNumber(s.buckets.min[0] ?? 'NaN') : values!.length ? Math.min(...values!) : undefined;
            const max = s.buckets ? toNumber(s.buckets.max[0] ?? 'NaN') : values!.length ? Math.max(...values!) : undefined;
            const last = s.buckets ? toNumber(s.buckets.last[0] ?? 'NaN') : toNumber(s.points?.value.at(-1) ?? 'NaN');
            if (s.count > 0) summaries.get(s.run_id)?.set(s.metric_key, { last, min, max });
          }
        }),
      );
    }
  }
  await Promise.all(requests);
  return summaries;
};
