/** Builders shared by the registered model and model version search tests. */
import type {
  ModelVersionSearchView,
  RegisteredModelSearchView,
} from '../../../../shared/domain/search/index.js';
export { errorOf } from '../../../support/error-of.js';

export interface RegisteredModelSpec {
  name: string;
  created?: number;
  updated?: number;
  tags?: Record<string, string>;
}

export const aRegisteredModel = (spec: RegisteredModelSpec): RegisteredModelSearchView => ({
  name: spec.name,
  creationTimestamp: spec.created ?? 1000,
  lastUpdatedTimestamp: spec.updated ?? spec.created ?? 1000,
  tags: spec.tags ?? {},
});

export interface ModelVersionSpec {
  name?: string;
  version: number;
  created?: number;
  updated?: number;
  runId?: string;
  source?: string;
  tags?: Record<string, string>;
  stage?: string;
}

export const aModelVersion = (spec: ModelVersionSpec): ModelVersionSearchView => ({
  name: spec.name ?? 'model',
  version: spec.version,
  creationTimestamp: spec.created ?? 1000,
  lastUpdatedTimestamp: spec.updated ?? spec.created ?? 1000,
  ...(spec.runId === undefined ? {} : { runId: spec.runId }),
  source: spec.source ?? `models:/m-${spec.version}`,
  tags: spec.tags ?? {},
  currentStage: spec.stage ?? 'None',
});

/** `name` of a model, `name/version` of a version: the test's way of naming results. */
export const label = (entity: RegisteredModelSearchView | ModelVersionSearchView): string =>
  'version' in entity ? `${entity.name}/${entity.version}` : entity.name;
