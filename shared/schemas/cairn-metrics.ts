import { z } from 'zod';
import { Double, Int32, repeated, RequiredString } from './common.js';
import { MAX_BUCKET_KEYS, MAX_BUCKET_RUNS, MAX_BUCKETS } from '../domain/tracking/metric-buckets-query.js';

const finite = (name: string) =>
  Double.refine((value) => Number.isFinite(value), { message: `${name} must be a finite number.` });

/** `POST /api/2.0/cairn/metrics/history-buckets` (Cairn's own; MLflow has no such RPC). */
export const HistoryBucketsRequest = z.object({
  run_ids: repeated(RequiredString)
    .refine((ids) => ids.length > 0, { message: 'run_ids must name at least one run.' })
    .refine((ids) => ids.length <= MAX_BUCKET_RUNS, { message: `At most ${MAX_BUCKET_RUNS} run_ids are allowed.` }),
  metric_keys: repeated(RequiredString)
    .refine((keys) => keys.length > 0, { message: 'metric_keys must name at least one metric.' })
    .refine((keys) => keys.length <= MAX_BUCKET_KEYS, { message: `At most ${MAX_BUCKET_KEYS} metric_keys are allowed.` }),
  x_axis: z.enum(['step', 'timestamp']).optional(),
  x_min: finite('x_min').optional(),
  x_max: finite('x_max').optional(),
  buckets: Int32.refine((n) => n >= 1 && n <= MAX_BUCKETS, {
    message: `buckets must be between 1 and ${MAX_BUCKETS}.`,
  }).optional(),
});
export type HistoryBucketsRequest = z.output<typeof HistoryBucketsRequest>;
