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
export const traceNotFound = (traceId: string) => notFound(`Trace with request_id '${traceId}' not found.`);
export const missingParameter = (name: string) =>
  invalidParameter(
    `Missing value for required parameter '${name}'. See the API docs for more information about request parameters.`,
  );
/**
 * MLflow's type error. `asPython` is the value as Python printed and typed it, when JSON.parse lost that (the
 * float `9.0` that JavaScript reads as 9, an integer past 2^53).
 */
export const invalidParameterType = (name: string, value: unknown, asPython?: { text: string; typeName: string }) =>
  invalidParameter(
    `Invalid value ${asPython?.text ?? echoValue(value)} for parameter '${name}' supplied. Hint: Value was of type '${asPython?.typeName ?? pythonTypeName(value)}'. See the API docs for more information about request parameters.`,
  );
export const paramValueChanged = (runId: string, key: string, oldValue: string, newValue: string) =>
  invalidParameter(
    `Changing param values is not allowed. Param with key='${key}' was already logged with value='${oldValue}' for run ID='${runId}'. Attempted logging new value '${newValue}'.`,
  );
export const internalError = (message: string, cause?: unknown) =>
  new MlflowError('INTERNAL_ERROR', message, { cause });
export const temporarilyUnavailable = (message: string, cause?: unknown) =>
  new MlflowError('TEMPORARILY_UNAVAILABLE', message, { cause });

/** A refused request body over its route's limit; 413 is not among the codes the MLflow client retries. */
export const requestTooLarge = (limitBytes: number) =>
  new MlflowError(
    'INVALID_PARAMETER_VALUE',
    `The request body is too large: this endpoint accepts at most ${limitBytes} bytes.`,
    { httpStatus: 413 },
  );

/** The longest part of a caller's value an error message repeats: a 1 MB value must not make a 1 MB error. */
export const ECHO_LIMIT = 1000;

/** Cuts a text that an error message repeats to ECHO_LIMIT characters, marking the cut with an ellipsis. */
export const echoText = (text: string): string => (text.length <= ECHO_LIMIT ? text : `${text.slice(0, ECHO_LIMIT)}…`);

/**
 * A caller's value as an error message shows it: JSON, cut to ECHO_LIMIT characters. Never throws, whatever
 * the value (too deep to stringify, a BigInt, a cycle): a message must not turn a 400 into a 500.
 */
export const echoValue = (value: unknown): string => {
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    text = `<${pythonTypeName(value)}>`;
  }
  return echoText(text);
};

const pythonTypeName = (value: unknown): string => {
  if (value === null) return 'NoneType';
  if (Array.isArray(value)) return 'list';
  if (typeof value === 'boolean') return 'bool';
  if (typeof value === 'number') return Number.isInteger(value) ? 'int' : 'float';
  if (typeof value === 'string') return 'str';
  return 'dict';
};

export { MlflowError };
