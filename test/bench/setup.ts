/** MLflow calls the workloads share: experiments, runs, metric batches. */
import type { JsonClient } from './http.js';

export interface MetricJson {
  key: string;
  value: number;
  timestamp: number;
  step: number;
}

export const createExperiment = async (client: JsonClient, name: string): Promise<string> => {
  const { experiment_id } = await client.post<{ experiment_id?: string }>('/experiments/create', { name });
  if (typeof experiment_id !== 'string') throw new Error(`experiments/create answered no experiment_id for ${name}`);
  return experiment_id;
};

export const createRun = async (client: JsonClient, experimentId: string, runName?: string): Promise<string> => {
  const answer = await client.post<{ run?: { info?: { run_id?: string } } }>('/runs/create', {
    experiment_id: experimentId,
    run_name: runName,
    start_time: Date.now(),
  });
  const runId = answer.run?.info?.run_id;
  if (typeof runId !== 'string') throw new Error(`runs/create answered no run_id: ${JSON.stringify(answer)}`);
  return runId;
};

/** `count` points of one key with steps `firstStep`, `firstStep + 1`, ... (all distinct, so none merge). */
export const metricBatch = (key: string, firstStep: number, count: number, timestamp: number, random: () => number): MetricJson[] =>
  Array.from({ length: count }, (_, i) => ({ key, value: random(), timestamp: timestamp + i, step: firstStep + i }));

export const logBatch = (client: JsonClient, runId: string, body: { metrics?: MetricJson[]; params?: { key: string; value: string }[] }) =>
  client.post('/runs/log-batch', { run_id: runId, ...body });

/** A prefix that keeps the names of this benchmark's experiments apart from earlier ones in the same folder. */
export const benchPrefix = `bench-${new Date().toISOString().replace(/[:.]/g, '-')}`;
