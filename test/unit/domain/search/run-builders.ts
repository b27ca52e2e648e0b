/** Builders shared by the run filter tests. */
import type { Run, RunStatus } from '../../../../shared/domain/tracking/entities.js';
import { parseRunFilter, runMatches } from '../../../../shared/domain/search/index.js';

export interface RunSpec {
  id: string;
  name?: string;
  userId?: string;
  status?: RunStatus;
  startTime?: number;
  endTime?: number;
  artifactUri?: string;
  metrics?: Record<string, number>;
  params?: Record<string, string>;
  tags?: Record<string, string>;
  datasets?: { name: string; digest: string; context?: string }[];
}

export const aRun = (spec: RunSpec): Run => ({
  info: {
    runId: spec.id,
    experimentId: '1',
    runName: spec.name ?? `name-${spec.id}`,
    userId: spec.userId ?? 'alice',
    status: spec.status ?? 'FINISHED',
    startTime: spec.startTime ?? 1000,
    ...(spec.endTime === undefined ? {} : { endTime: spec.endTime }),
    artifactUri: spec.artifactUri ?? `mlflow-artifacts:/1/${spec.id}/artifacts`,
    lifecycleStage: 'active',
  },
  params: spec.params ?? {},
  tags: { 'mlflow.runName': spec.name ?? `name-${spec.id}`, ...spec.tags },
  metrics: Object.fromEntries(
    Object.entries(spec.metrics ?? {}).map(([key, value]) => [key, { key, value, timestamp: 0, step: 0 }]),
  ),
  datasetInputs: (spec.datasets ?? []).map((d) => ({
    dataset: { name: d.name, digest: d.digest, sourceType: 'local', source: '{}' },
    tags: d.context === undefined ? [] : [{ key: 'mlflow.data.context', value: d.context }],
  })),
  modelInputs: [],
  modelOutputs: [],
});

export const idsMatching = (runs: Run[], filter: string | undefined): string[] => {
  const compiled = parseRunFilter(filter);
  return runs.filter((run) => runMatches(run, compiled)).map((run) => run.info.runId);
};
