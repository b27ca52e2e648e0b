import { experimentPath } from '../app/router';

/** The experiment's Traces tab (MLflow's `#/experiments/<id>/traces`). */
export const tracesPath = (experimentId: string) => `${experimentPath(experimentId)}/traces`;

/** One trace's page (MLflow redirects the same path to its trace drawer). */
export const tracePath = (experimentId: string, traceId: string) => `${tracesPath(experimentId)}/${encodeURIComponent(traceId)}`;

/** MLflow's own trace links carry the trace in the Traces tab's query: `?selectedEvaluationId=<trace id>`. */
export const MLFLOW_TRACE_PARAM = 'selectedEvaluationId';
