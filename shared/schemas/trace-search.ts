import { z } from 'zod';
import { ExperimentId, Int32, lookupKey, PageToken, repeated, RequiredString } from './common.js';

/** Trace search RPCs: SearchTracesV3, the v2 SearchTraces (GET /traces) and CalculateTraceFilterCorrelation. */

const ExperimentRef = ExperimentId.pipe(lookupKey());

const TraceLocation = z.object({
  type: z.string().optional(),
  mlflow_experiment: z.object({ experiment_id: ExperimentRef.optional() }).optional(),
  inference_table: z.object({ full_table_name: z.string().optional() }).optional(),
});

export const SearchTracesV3Request = z.object({
  locations: repeated(TraceLocation).optional(),
  filter: z.string().optional(),
  max_results: Int32.optional(),
  order_by: repeated(z.string()).optional(),
  page_token: PageToken,
});

export const SearchTracesV2Request = z.object({
  experiment_ids: repeated(ExperimentRef).optional(),
  filter: z.string().optional(),
  max_results: Int32.optional(),
  order_by: repeated(z.string()).optional(),
  page_token: PageToken,
});

export const CalculateFilterCorrelationRequest = z.object({
  experiment_ids: repeated(ExperimentRef).optional(),
  filter_string1: RequiredString,
  filter_string2: RequiredString,
  base_filter: z.string().optional(),
});
