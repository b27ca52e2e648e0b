import { Hono } from 'hono';
import { decodeOtlpRequest, decompressOtlpBody, otlpEncodingOf } from '../../../shared/domain/genai/otlp/decode.js';
import { otlpTypes } from '../../../shared/domain/genai/otlp/otlp-proto.js';
import { logSpans, type TraceDeps } from '../../../shared/domain/genai/traces.js';
import { invalidParameter, requestTooLarge } from '../../../shared/errors/index.js';
import { readBodyBytes } from '../../../shared/http/request-params.js';
import { accessOf } from '../auth-context.js';
import { refuseInHandler } from '../authorization/middleware.js';

/** MLflow's header naming the experiment spans go to (mlflow/tracing/utils/otlp.py MLFLOW_EXPERIMENT_ID_HEADER). */
export const MLFLOW_EXPERIMENT_ID_HEADER = 'x-mlflow-experiment-id';
/** The most bytes an export request may have as sent (compressed); inflated, decode.ts bounds it again. */
export const MAX_OTLP_BODY_BYTES = 16 * 1024 * 1024;

/**
 * `POST /v1/traces`: OTLP/HTTP span export, as MLflow's server serves it (mlflow/server/otel_api.py) and its
 * clients of 3.4 and later send to it. The body is an ExportTraceServiceRequest in protobuf (MLflow's only
 * encoding) or OTLP JSON; the answer is an empty ExportTraceServiceResponse in the request's encoding. Faults are
 * answered in MLflow's JSON error form (MLflow's own endpoint answers FastAPI's `{"detail": ...}`).
 */
export const otlpRoutes = (deps: TraceDeps) =>
  new Hono().post('/v1/traces', async (c) => {
    const experimentId = c.req.header(MLFLOW_EXPERIMENT_ID_HEADER)?.trim();
    if (!experimentId) throw invalidParameter(`Missing required header '${MLFLOW_EXPERIMENT_ID_HEADER}'.`);
    // The experiment is named in a header, so the handler checks EDIT on it (route-policy.ts says so).
    const experiment = { kind: 'experiment', id: experimentId } as const;
    if (!accessOf(c).can(experiment, 'EDIT')) return refuseInHandler(c, experiment, 'EDIT');
    const encoding = otlpEncodingOf(c.req.header('content-type'));
    const raw = await readBodyBytes(c, MAX_OTLP_BODY_BYTES, () => requestTooLarge(MAX_OTLP_BODY_BYTES));
    const spans = decodeOtlpRequest(decompressOtlpBody(raw, c.req.header('content-encoding')), encoding);
    await logSpans(deps, experimentId, spans);
    if (encoding === 'json') return c.json({});
    const { response } = otlpTypes();
    return c.body(new Uint8Array(response.encode(response.create({})).finish()), 200, { 'content-type': 'application/x-protobuf' });
  });
