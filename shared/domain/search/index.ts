/** Search: filter strings and order_by for runs, experiments, logged models, registered models and model versions (pure, no I/O). */
export { parseRunFilter, runMatches, RUN_NAME_TAG, DATASET_CONTEXT_TAG } from './run-filter.js';
export type { RunFilter, RunFilterClause, RunSearchExtensions } from './run-filter.js';
export { parseRunOrderBy, compareRuns } from './run-order.js';
export type { RunOrder, RunOrderKey } from './run-order.js';
export type { RunEntity } from './run-identifier.js';
export {
  parseExperimentFilter,
  experimentMatches,
  parseExperimentOrderBy,
  compareExperiments,
  experimentSortKey,
  readExperimentSortKey,
} from './experiment-search.js';
export type {
  ExperimentFilter,
  ExperimentFilterClause,
  ExperimentOrder,
  ExperimentOrderField,
  ExperimentSortKey,
} from './experiment-search.js';
export { parseLoggedModelFilter, loggedModelMatches } from './logged-model-filter.js';
export type {
  LoggedModelFilter,
  LoggedModelFilterClause,
  LoggedModelDatasetFilter,
  LoggedModelEntity,
} from './logged-model-filter.js';
export { compareLoggedModels, loggedModelOrder } from './logged-model-order.js';
export type { LoggedModelOrderBy, LoggedModelOrder, LoggedModelSortKey } from './logged-model-order.js';
export {
  parseRegisteredModelFilter,
  registeredModelMatches,
  parseRegisteredModelOrderBy,
  compareRegisteredModels,
  compareRegisteredModelKeys,
  registeredModelSortKey,
  readRegisteredModelSortKey,
} from './registered-model-search.js';
export type {
  RegisteredModelSearchView,
  RegisteredModelFilter,
  RegisteredModelOrder,
  RegisteredModelOrderField,
  RegisteredModelSortKey,
} from './registered-model-search.js';
export { parseModelVersionFilter, modelVersionMatches, isPromptFilter } from './model-version-filter.js';
export type { ModelVersionSearchView, ModelVersionFilter } from './model-version-filter.js';
export { parseModelVersionOrderBy, compareModelVersions, compareModelVersionKeys, readModelVersionSortKey } from './model-version-order.js';
export type { ModelVersionOrder, ModelVersionOrderKey, ModelVersionOrderField, ModelVersionSortKey } from './model-version-order.js';
export {
  IS_PROMPT_TAG_KEY,
  SEARCH_REGISTERED_MODEL_MAX_RESULTS_DEFAULT,
  SEARCH_REGISTERED_MODEL_MAX_RESULTS_THRESHOLD,
  SEARCH_MODEL_VERSION_MAX_RESULTS_DEFAULT,
  SEARCH_MODEL_VERSION_MAX_RESULTS_THRESHOLD,
} from './registry-common.js';
export type { RegistryFilterClause, RegistryEntity } from './registry-common.js';
