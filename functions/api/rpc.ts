import type { Context } from 'hono';
import type { z } from 'zod';
import { missingParameter } from '../../shared/errors/index.js';
import { readRequestParams, type ReadOptions } from '../../shared/http/request-params.js';
import { assertSafeFields } from '../../shared/http/safe-fields.js';
import { parseRequest } from '../../shared/http/validate.js';
import { jsonSourceOf } from '../../shared/http/json-numbers.js';
import type { SearchRunsRequest } from '../../shared/domain/tracking/run-search.js';
import type { SearchRunsRequest as SearchRunsWire } from '../../shared/schemas/tracking.js';

/**
 * A JSON RPC handler in MLflow's style: read the fields (query or body, within the route's body limit),
 * validate them with the RPC's schema, run the use case, answer 200 with its JSON object. Path fields
 * (`/webhooks/:webhook_id`) join the others, so one schema checks them all.
 */
export const rpc =
  <S extends z.ZodType>(schema: S, run: (input: z.output<S>, c: Context) => Promise<object>, options: ReadOptions = {}) =>
  async (c: Context) => {
    const fields = await readRequestParams(c, options);
    const input = parseRequest(schema, { ...fields, ...assertSafeFields(c.req.param()) }, jsonSourceOf(fields));
    return c.json(await run(input, c));
  };

/** `run_id`, or its old name `run_uuid`; one of them is required. */
export const runIdOf = (input: { run_id?: string | undefined; run_uuid?: string | undefined }): string => {
  const runId = input.run_id || input.run_uuid;
  if (!runId) throw missingParameter('run_id');
  return runId;
};

export const keyValues = (entries: { key: string; value?: string | undefined }[] | undefined) =>
  (entries ?? []).map((e) => ({ key: e.key, value: e.value ?? '' }));

/** MLflow's SearchRuns fields in the domain's words: MLflow's `runs/search` and Cairn's extension take the same. */
export const searchRunsRequestOf = (input: z.output<typeof SearchRunsWire>): SearchRunsRequest => ({
  experimentIds: input.experiment_ids ?? [],
  filter: input.filter,
  runViewType: input.run_view_type,
  maxResults: input.max_results,
  orderBy: input.order_by,
  pageToken: input.page_token,
});
