import { alreadyExists, experimentNotFound, notFound } from '../../errors/index.js';
import { registeredModelNotFound } from '../registry/validation.js';
import type { AuthApiDeps } from './api-deps.js';
import type { ResourceRef, Subject } from './entities.js';
import { parsePermission, type Permission } from './permissions.js';
import { GrantExists, GrantHolderMissing, GrantMissing } from './ports.js';
import { getUser, userNotFound, type ExperimentPermissionJson, type RegisteredModelPermissionJson } from './users.js';

/**
 * MLflow's experiment and registered-model permissions of one user (`experiments/permissions/*`,
 * `registered-models/permissions/*`), with MLflow's messages. Each names a user and a resource; the grant
 * itself is kept by the user's number and the resource's id, so a renamed model keeps its grants and a
 * model or user made again under an old name inherits none.
 */

export interface PermissionRequest {
  username: string;
  permission: string;
}

const userSubject = (userId: number): Subject => ({ kind: 'user', id: userId });
const experimentRef = (experimentId: string): ResourceRef => ({ kind: 'experiment', id: experimentId });
const modelRef = (modelId: string): ResourceRef => ({ kind: 'registered_model', id: modelId });

const experimentPermissionNotFound = (experimentId: string, username: string) =>
  notFound(`Experiment permission with experiment_id=${experimentId} and username=${username} not found`);
const registeredModelPermissionNotFound = (name: string, username: string) =>
  notFound(`Registered model permission with name=${name} and username=${username} not found`);

const experimentPermissionToJson = (experimentId: string, userId: number, permission: Permission): ExperimentPermissionJson => ({
  experiment_id: experimentId,
  user_id: userId,
  permission,
});

const registeredModelPermissionToJson = (name: string, userId: number, permission: Permission): RegisteredModelPermissionJson => ({
  name,
  user_id: userId,
  permission,
});

/** The experiment must exist (MLflow does not check; a grant on nothing would wait for a future id). */
export const createExperimentPermission = async (
  deps: AuthApiDeps,
  request: PermissionRequest & { experimentId: string },
): Promise<ExperimentPermissionJson> => {
  // MLflow validates the permission before it looks the user up.
  const permission = parsePermission(request.permission);
  const user = await getUser(deps, request.username);
  if (!(await deps.experiments.get(request.experimentId))) throw experimentNotFound(request.experimentId);
  try {
    await deps.auth.grants.put({ subject: userSubject(user.userId), resource: experimentRef(request.experimentId), permission }, 'create');
  } catch (error) {
    // The user was deleted (or its name taken by a new user) since it was read: MLflow's answer for a missing user.
    if (error instanceof GrantHolderMissing) throw userNotFound(request.username);
    if (error instanceof GrantExists) {
      throw alreadyExists(`Experiment permission (experiment_id=${request.experimentId}, username=${request.username}) already exists.`);
    }
    throw error;
  }
  return experimentPermissionToJson(request.experimentId, user.userId, permission);
};

export const getExperimentPermission = async (
  deps: AuthApiDeps,
  request: { experimentId: string; username: string },
): Promise<ExperimentPermissionJson> => {
  const user = await getUser(deps, request.username);
  const grant = await deps.auth.grants.get(userSubject(user.userId), experimentRef(request.experimentId));
  if (!grant) throw experimentPermissionNotFound(request.experimentId, request.username);
  return experimentPermissionToJson(request.experimentId, user.userId, grant.permission);
};

export const updateExperimentPermission = async (deps: AuthApiDeps, request: PermissionRequest & { experimentId: string }): Promise<void> => {
  const permission = parsePermission(request.permission);
  const user = await getUser(deps, request.username);
  try {
    await deps.auth.grants.put({ subject: userSubject(user.userId), resource: experimentRef(request.experimentId), permission }, 'update');
  } catch (error) {
    if (error instanceof GrantHolderMissing) throw userNotFound(request.username);
    if (error instanceof GrantMissing) throw experimentPermissionNotFound(request.experimentId, request.username);
    throw error;
  }
};

export const deleteExperimentPermission = async (deps: AuthApiDeps, request: { experimentId: string; username: string }): Promise<void> => {
  const user = await getUser(deps, request.username);
  if (!(await deps.auth.grants.delete(userSubject(user.userId), experimentRef(request.experimentId)))) {
    throw experimentPermissionNotFound(request.experimentId, request.username);
  }
};

/** The model's id behind its current name; undefined when no model has it. */
const modelIdOf = async (deps: AuthApiDeps, name: string) => (await deps.registry.getModelByName(name))?.modelId;

/** The model must exist: its grant is kept by its id, which only an existing model has. */
export const createRegisteredModelPermission = async (
  deps: AuthApiDeps,
  request: PermissionRequest & { name: string },
): Promise<RegisteredModelPermissionJson> => {
  const permission = parsePermission(request.permission);
  const user = await getUser(deps, request.username);
  const modelId = await modelIdOf(deps, request.name);
  if (modelId === undefined) throw registeredModelNotFound(request.name);
  try {
    await deps.auth.grants.put({ subject: userSubject(user.userId), resource: modelRef(modelId), permission }, 'create');
  } catch (error) {
    // The user was deleted (or its name taken by a new user) since it was read: MLflow's answer for a missing user.
    if (error instanceof GrantHolderMissing) throw userNotFound(request.username);
    if (error instanceof GrantExists) {
      throw alreadyExists(`Registered model permission with name=${request.name} and username=${request.username} already exists.`);
    }
    throw error;
  }
  return registeredModelPermissionToJson(request.name, user.userId, permission);
};

export const getRegisteredModelPermission = async (
  deps: AuthApiDeps,
  request: { name: string; username: string },
): Promise<RegisteredModelPermissionJson> => {
  const user = await getUser(deps, request.username);
  const modelId = await modelIdOf(deps, request.name);
  const grant = modelId === undefined ? undefined : await deps.auth.grants.get(userSubject(user.userId), modelRef(modelId));
  if (!grant) throw registeredModelPermissionNotFound(request.name, request.username);
  return registeredModelPermissionToJson(request.name, user.userId, grant.permission);
};

export const updateRegisteredModelPermission = async (deps: AuthApiDeps, request: PermissionRequest & { name: string }): Promise<void> => {
  const permission = parsePermission(request.permission);
  const user = await getUser(deps, request.username);
  const modelId = await modelIdOf(deps, request.name);
  if (modelId === undefined) throw registeredModelPermissionNotFound(request.name, request.username);
  try {
    await deps.auth.grants.put({ subject: userSubject(user.userId), resource: modelRef(modelId), permission }, 'update');
  } catch (error) {
    if (error instanceof GrantHolderMissing) throw userNotFound(request.username);
    if (error instanceof GrantMissing) throw registeredModelPermissionNotFound(request.name, request.username);
    throw error;
  }
};

export const deleteRegisteredModelPermission = async (deps: AuthApiDeps, request: { name: string; username: string }): Promise<void> => {
  const user = await getUser(deps, request.username);
  const modelId = await modelIdOf(deps, request.name);
  if (modelId === undefined || !(await deps.auth.grants.delete(userSubject(user.userId), modelRef(modelId)))) {
    throw registeredModelPermissionNotFound(request.name, request.username);
  }
};

/**
 * A registered model deleted for good: every grant on it goes (its id is never reused, so a leftover grant
 * would give nothing, but "who can see this model" should not list it).
 */
export const removeGrantsOnRegisteredModel = (deps: Pick<AuthApiDeps, 'auth'>, modelId: string): Promise<void> =>
  deps.auth.grants.deleteAllOn(modelRef(modelId));
