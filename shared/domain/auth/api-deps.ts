import type { RegistryStore } from '../registry/ports.js';
import type { ExperimentStore } from '../tracking/ports.js';
import type { AuthPorts } from './ports.js';

/**
 * What MLflow's auth API (users and per-resource permissions) needs: the user and grant stores, and the
 * experiments and registered models that grants are on (a model is named on the wire, kept by its id).
 */
export interface AuthApiDeps {
  /** With groups, deleting a user also takes the user out of every group (both sides of each membership). */
  readonly auth: Pick<AuthPorts, 'users' | 'grants' | 'now'> & Partial<Pick<AuthPorts, 'groups'>>;
  readonly registry: Pick<RegistryStore, 'getModel' | 'getModelByName'>;
  readonly experiments: Pick<ExperimentStore, 'get'>;
}
