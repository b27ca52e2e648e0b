import { Hono, type Context } from 'hono';
import type { z } from 'zod';
import type { ArtifactDeps } from '../../../shared/domain/artifacts/artifacts.js';
import type { TraceInfo, TraceState } from '../../../shared/domain/genai/entities.js';
import { stringifyJson } from '../../../shared/domain/genai/raw-json.js';
import { TRACE_DATA_FILE, batchGetTraces, getTrace, traceDataText } from '../../../shared/domain/genai/traces-read.js';
import { otelSpanJson, parseDurationMs, parseTimestampMs, traceInfoV2Json, traceInfoV3Json, traceStateOfStatus } from '../../../shared/domain/genai/traces-wire.js';
import * as traces from '../../../shared/domain/genai/traces.js';
import { badRequest, invalidParameter } from '../../../shared/errors/index.js';
import { jsonSourceOf } from '../../../shared/http/json-numbers.js';
import { queryFields, readRequestParams } from '../../../shared/http/request-params.js';
import { assertSafeFields } from '../../../shared/http/safe-fields.js';
import { parseRequest } from '../../../shared/http/validate.js';
import * as S from '../../../shared/schemas/traces.js';
import { accessOf } from '../auth-context.js';
import { refuseInHandler } from '../authorization/middleware.js';
import { experimentsVisibleTo } from '../visibility.js';

/**
 * MLflow 3's trace RPCs (handlers.py) but search and assessments (trace-search.ts, assessments.ts). MLflow registers
 * each at `/api/<since>.0/mlflow` and its `/ajax-api` twin: the deprecated v2 RPCs under 2.0, the v3 ones under 3.0.
 * Static segments (`traces/get`, `traces/batchGet`, `traces/delete-traces`) come before `traces/:trace_id`.
 */

export interface TraceRouteOptions {
  /** The artifact store, where clients upload traces.json when they do not send spans; no traces.json without it. */
  readonly artifacts?: ArtifactDeps;
  /** The wire assessments of each trace (assessments' routes provide it); traces answer without them when absent. */
  readonly assessmentsOf?: (traceIds: readonly string[]) => Promise<Map<string, object[]>>;
}

/** A JSON RPC like rpc.ts's, answered with 64-bit integers kept (span times), and DELETE fields from the query too. */
const rpcJson =
  <S extends z.ZodType>(schema: S, run: (input: z.output<S>, c: Context) => Promise<object>) =>
  async (c: Context) => {
    const fields = await readRequestParams(c);
    const query = c.req.method === 'DELETE' ? assertSafeFields(queryFields(new URL(c.req.url).searchParams)) : {};
    const all = { ...query, ...fields, ...assertSafeFields(c.req.param()) };
    const input = parseRequest(schema, all, jsonSourceOf(fields));
    return c.body(stringifyJson(await run(input, c)), 200, { 'content-type': 'application/json' });
  };

const mapOf = (entries: { key: string; value?: string | undefined }[] | undefined): Record<string, string> => {
  const map: Record<string, string> = Object.create(null) as Record<string, string>;
  for (const entry of entries ?? []) map[entry.key] = entry.value ?? '';
  return { ...map };
};

/** TraceInfoV3 from StartTraceV3's body (TraceInfo.from_proto). */
const traceInfoOfWire = (wire: z.output<typeof S.TraceInfoV3Wire>): TraceInfo => {
  const experimentId = wire.trace_location.mlflow_experiment?.experiment_id;
  if (!experimentId) throw invalidParameter('The trace location must be an MLflow experiment (trace_location.mlflow_experiment.experiment_id).');
  return {
    traceId: wire.trace_id,
    experimentId,
    ...(wire.client_request_id !== undefined ? { clientRequestId: wire.client_request_id } : {}),
    requestTime: parseTimestampMs(wire.request_time, 'trace.trace_info.request_time'),
    ...(wire.execution_duration !== undefined
      ? { executionDuration: parseDurationMs(wire.execution_duration, 'trace.trace_info.execution_duration') }
      : {}),
    state: (wire.state ?? 'STATE_UNSPECIFIED') as TraceState,
    ...(wire.request_preview !== undefined ? { requestPreview: wire.request_preview } : {}),
    ...(wire.response_preview !== undefined ? { responsePreview: wire.response_preview } : {}),
    metadata: { ...(wire.trace_metadata ?? {}) },
    tags: { ...(wire.tags ?? {}) },
  };
};

export const traceRoutesV3 = (deps: traces.TraceDeps, options: TraceRouteOptions = {}) => {
  const assessments = async (traceIds: readonly string[]) => (options.assessmentsOf ? options.assessmentsOf(traceIds) : new Map<string, object[]>());
  const infoJson = async (info: TraceInfo) => traceInfoV3Json(info, (await assessments([info.traceId])).get(info.traceId) ?? []);
  return new Hono()
    // The experiment is named deep in the body, so the handler checks EDIT on it (route-policy.ts says so).
    .post('/traces', async (c) => {
      const fields = await readRequestParams(c);
      const input = parseRequest(S.StartTraceV3Request, fields, jsonSourceOf(fields));
      const info = traceInfoOfWire(input.trace.trace_info);
      const experiment = { kind: 'experiment', id: info.experimentId } as const;
      if (!accessOf(c).can(experiment, 'EDIT')) return refuseInHandler(c, experiment, 'EDIT');
      const stored = await traces.startTraceV3(deps, info);
      return c.body(stringifyJson({ trace: { trace_info: await infoJson(stored) } }), 200, { 'content-type': 'application/json' });
    })
    .get(
      '/traces/get',
      rpcJson(S.GetTraceRequest, async (input) => {
        const trace = await getTrace(deps, options.artifacts, input.trace_id, input.allow_partial ?? false);
        return { trace: { trace_info: await infoJson(trace.info), spans: trace.spans.map(otelSpanJson) } };
      }),
    )
    .get(
      '/traces/batchGet',
      rpcJson(S.BatchGetTracesRequest, async (input, c) => {
        // Traces of experiments the caller may not read are left out, as searches leave them out.
        const visible = experimentsVisibleTo(accessOf(c));
        const found = (await batchGetTraces(deps, options.artifacts, input.trace_ids)).filter(
          (trace) => !visible || visible.sees(trace.info.experimentId),
        );
        const byTrace = await assessments(found.map((trace) => trace.info.traceId));
        return found.length === 0
          ? {}
          : { traces: found.map((trace) => ({ trace_info: traceInfoV3Json(trace.info, byTrace.get(trace.info.traceId) ?? []), spans: trace.spans.map(otelSpanJson) })) };
      }),
    )
    .post(
      '/traces/delete-traces',
      rpcJson(S.DeleteTracesRequest, async (input) => ({ traces_deleted: await deleteTracesOf(deps, input) })),
    )
    .get(
      '/traces/:trace_id',
      rpcJson(S.TraceIdPath, async (input) => ({ trace: { trace_info: await infoJson(await traces.requireTraceInfo(deps, input.trace_id)) } })),
    )
    .patch(
      '/traces/:trace_id/tags',
      rpcJson(S.SetTraceTagV3Request, async (input) => (await traces.setTraceTag(deps, input.trace_id, input.key, input.value ?? ''), {})),
    )
    .delete(
      '/traces/:trace_id/tags',
      rpcJson(S.DeleteTraceTagV3Request, async (input) => (await traces.deleteTraceTag(deps, input.trace_id, input.key), {})),
    );
};

const deleteTracesOf = (deps: traces.TraceDeps, input: z.output<typeof S.DeleteTracesRequest>) =>
  traces.deleteTraces(deps, {
    experimentId: input.experiment_id,
    ...(input.max_timestamp_millis !== undefined ? { maxTimestampMillis: input.max_timestamp_millis } : {}),
    ...(input.max_traces !== undefined ? { maxTraces: input.max_traces } : {}),
    ...(input.request_ids !== undefined ? { traceIds: input.request_ids } : {}),
  });

export const traceRoutesV2 = (deps: traces.TraceDeps, options: TraceRouteOptions = {}) =>
  new Hono()
    .post(
      '/traces',
      rpcJson(S.StartTraceV2Request, async (input) => {
        const info = await traces.startTraceV2(deps, {
          experimentId: input.experiment_id,
          timestampMs: input.timestamp_ms ?? 0,
          metadata: mapOf(input.request_metadata),
          tags: mapOf(input.tags),
        });
        return { trace_info: traceInfoV2Json(info) };
      }),
    )
    .post(
      '/traces/delete-traces',
      rpcJson(S.DeleteTracesRequest, async (input) => ({ traces_deleted: await deleteTracesOf(deps, input) })),
    )
    .post(
      '/traces/link-to-run',
      rpcJson(S.LinkTracesToRunRequest, async (input) => (await traces.linkTracesToRun(deps, input.trace_ids, input.run_id), {})),
    )
    .patch(
      '/traces/:request_id',
      rpcJson(S.EndTraceV2Request, async (input) => {
        const info = await traces.endTraceV2(deps, input.request_id, {
          timestampMs: input.timestamp_ms ?? 0,
          state: traceStateOfStatus(input.status),
          metadata: mapOf(input.request_metadata),
          tags: mapOf(input.tags),
        });
        return { trace_info: traceInfoV2Json(info) };
      }),
    )
    .get(
      '/traces/:request_id/info',
      rpcJson(S.RequestIdPath, async (input) => ({ trace_info: traceInfoV2Json(await traces.requireTraceInfo(deps, input.request_id)) })),
    )
    .patch(
      '/traces/:request_id/tags',
      rpcJson(S.SetTraceTagV2Request, async (input) => (await traces.setTraceTag(deps, input.request_id, input.key, input.value ?? ''), {})),
    )
    .delete(
      '/traces/:request_id/tags',
      rpcJson(S.DeleteTraceTagV2Request, async (input) => (await traces.deleteTraceTag(deps, input.request_id, input.key), {})),
    );

/**
 * The web UI's download of a trace's data (mlflow/server/__init__.py registers it under /ajax-api/2.0/mlflow only):
 * traces.json as an attachment.
 */
export const traceArtifactRoute = (deps: traces.TraceDeps, options: TraceRouteOptions = {}) =>
  new Hono().get('/get-trace-artifact', async (c) => {
    if (!c.req.query('request_id')) throw badRequest('Request must include the "request_id" query parameter.');
    const input = parseRequest(S.GetTraceArtifactRequest, assertSafeFields(c.req.query()));
    const text = await traceDataText(deps, options.artifacts, input.request_id);
    return c.body(text, 200, {
      'content-type': 'application/octet-stream',
      'content-disposition': `attachment; filename=${TRACE_DATA_FILE}`,
      'x-content-type-options': 'nosniff',
    });
  });
