/** Search: filter strings and order_by for runs, experiments and logged models (pure, no I/O). */
export { parseRunFilter, runMatches, RUN_NAME_TAG, DATASET_CONTEXT_TAG } from './run-filter.js';
export type { RunFilter, RunFilterClause } from './run-filter.js';
export { parseRunOrderBy, compareRuns } from './run-order.js';
export type { RunOrder, RunOrderKey } from './run-order.js';
export type { RunEntity } from './run-identifier.js';
export {
  parseExperimentFilter,
  experimentMatches,
  parseExperimentOrderBy,
  compareExperiments,
} from './experiment-search.js';
export type {
  ExperimentFilter,
  ExperimentFilterClause,
  ExperimentOrder,
  ExperimentOrderField,
} from './experiment-search.js';
export { parseLoggedModelFilter, loggedModelMatches } from './logged-model-filter.js';
export type {
  LoggedModelFilter,
  LoggedModelFilterClause,
  LoggedModelDatasetFilter,
  LoggedModelEntity,
} from './logged-model-filter.js';
export { compareLoggedModels } from './logged-model-order.js';
export type { LoggedModelOrderBy } from './logged-model-order.js';
