/**
 * The MLflow version whose wire behaviour Cairn reproduces, answered by `GET /version`. The 3.x client
 * reads it to decide whether the server takes OTLP spans (>= 3.4); Cairn does not serve `/v1/traces` yet,
 * and the client treats a failed span export as "not supported" and goes on.
 */
export const CAIRN_MLFLOW_VERSION = '3.6.0';
