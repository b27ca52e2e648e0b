import { MlflowError, invalidParameter, notFound, alreadyExists } from './mlflow-error.js';

// Messages are MLflow's own wording (mlflow/store/tracking/sqlalchemy_store.py, mlflow/server/handlers.py),
// so clients and users that read them see what they would see against `mlflow server`.

export const experimentNotFound = (id: string) => notFound(`No Experiment with id=${id} exists`);
export const experimentNameNotFound = (name: string) =>
  notFound(`Could not find experiment with name '${name}'`);
/**
 * The reference quotes its failed SQL INSERT after this sentence; Cairn has no SQL to quote, so the
 * message stops after the part MLflow itself composes.
 */
export const experimentAlreadyExists = (name: string) =>
  alreadyExists(`Experiment(name=${name}) already exists.`);
export const experimentNotActive = (id: string) =>
  invalidParameter(`The experiment ${id} must be in the 'active' state. Current state is deleted.`);
export const runNotFound = (id: string) => notFound(`Run with id=${id} not found`);
export const runNotActive = (id: string) =>
  invalidParameter(`The run ${id} must be in the 'active' state. Current state is deleted.`);
export const loggedModelNotFound = (id: string) => notFound(`Logged model with ID '${id}' not found.`);
export const missingParameter = (name: string) =>
  invalidParameter(
    `Missing value for required parameter '${name}'. See the API docs for more information about request parameters.`,
  );
export const invalidParameterType = (name: string, value: unknown) =>
  invalidParameter(
    `Invalid value ${JSON.stringify(value)} for parameter '${name}' supplied. Hint: Value was of type '${pythonTypeName(value)}'. See the API docs for more information about request parameters.`,
  );
export const paramValueChanged = (runId: string, key: string, oldValue: string, newValue: string) =>
  invalidParameter(
    `Changing param values is not allowed. Param with key='${key}' was already logged with value='${oldValue}' for run ID='${runId}'. Attempted logging new value '${newValue}'.`,
  );
export const internalError = (message: string, cause?: unknown) =>
  new MlflowError('INTERNAL_ERROR', message, { cause });
export const temporarilyUnavailable = (message: string, cause?: unknown) =>
  new MlflowError('TEMPORARILY_UNAVAILABLE', message, { cause });

const pythonTypeName = (value: unknown): string => {
  if (value === null) return 'NoneType';
  if (Array.isArray(value)) return 'list';
  if (typeof value === 'boolean') return 'bool';
  if (typeof value === 'number') return Number.isInteger(value) ? 'int' : 'float';
  if (typeof value === 'string') return 'str';
  return 'dict';
};

export { MlflowError };
