/**
 * The MLflow version whose wire behaviour Cairn reproduces, answered by `GET /version`. The 3.x client reads it to
 * decide whether the server takes OTLP spans (>= 3.4): it then sends them to `POST /v1/traces` (functions/api/
 * routes/otlp.ts) and learns from StartTraceV3's answer (the `mlflow.trace.spansLocation` tag) that it need not
 * upload traces.json; older clients keep starting traces and uploading trace data through the artifact protocol.
 */
export const CAIRN_MLFLOW_VERSION = '3.6.0';
