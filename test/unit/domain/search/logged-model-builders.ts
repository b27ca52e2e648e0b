/** Builders shared by the logged model search tests. */
import type { LoggedModel, LoggedModelStatus, MetricPoint } from '../../../../shared/domain/tracking/entities.js';
export { errorOf } from '../../../support/error-of.js';

export interface ModelSpec {
  id: string;
  name?: string;
  created?: number;
  status?: LoggedModelStatus;
  modelType?: string;
  params?: Record<string, string>;
  tags?: Record<string, string>;
  metrics?: Partial<MetricPoint>[];
}

export const aModel = (spec: ModelSpec): LoggedModel => ({
  modelId: spec.id,
  experimentId: '1',
  name: spec.name ?? `model-${spec.id}`,
  artifactUri: `mlflow-artifacts:/1/models/${spec.id}/artifacts`,
  status: spec.status ?? 'LOGGED_MODEL_READY',
  creationTimestampMs: spec.created ?? 1000,
  lastUpdatedTimestampMs: spec.created ?? 1000,
  ...(spec.modelType === undefined ? {} : { modelType: spec.modelType }),
  tags: spec.tags ?? {},
  params: spec.params ?? {},
  metrics: (spec.metrics ?? []).map((m) => ({ key: 'acc', value: 0, timestamp: 0, step: 0, ...m })),
  lifecycleStage: 'active',
});

