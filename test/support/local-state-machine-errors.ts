/** Error naming of the local state machine harness: how thrown values become Step Functions errors and outcomes. */
import './promise-with-resolvers.js';

import { ExecutionAbortedError, ExecutionError, ExecutionTimeoutError } from 'aws-local-stepfunctions';

import type { ExecutionOutcome } from './local-state-machine-types.js';

/** JavaScript/SDK-client error names that are not SageMaker service errors; those are passed through unchanged. */
const NON_SERVICE_ERROR_NAMES = new Set([
  'Error',
  'TypeError',
  'RangeError',
  'ReferenceError',
  'SyntaxError',
  'EvalError',
  'URIError',
  'AggregateError',
  'TimeoutError',
  'AbortError',
]);

export const namedError = (name: string, message: string): Error => {
  const error = new Error(message);
  error.name = name;
  return error;
};

/** Any thrown value as the named Error Step Functions would report (name = error, message = cause). */
export const asTaskError = (error: unknown): Error =>
  error instanceof Error ? namedError(error.name, error.message) : namedError('Error', String(error));

/** Step Functions' AWS SDK integration naming: SageMaker.<Name>, with an `Exception` suffix when missing. */
export const asSageMakerError = (error: unknown): Error => {
  if (!(error instanceof Error)) return asTaskError(error);
  const isServiceError = '$fault' in error || !NON_SERVICE_ERROR_NAMES.has(error.name);
  if (!isServiceError || error.name.startsWith('SageMaker.')) return namedError(error.name, error.message);
  const name = error.name.endsWith('Exception') ? error.name : `${error.name}Exception`;
  return namedError(`SageMaker.${name}`, error.message);
};

export const outcomeOfError = (error: unknown): ExecutionOutcome => {
  if (error instanceof ExecutionTimeoutError) {
    return { status: 'FAILED', error: 'States.Timeout', cause: 'The execution exceeded its TimeoutSeconds' };
  }
  if (error instanceof ExecutionAbortedError) {
    return { status: 'FAILED', error: 'ExecutionAborted', cause: 'The execution was aborted' };
  }
  const failure = error instanceof ExecutionError ? error.cause : error;
  if (!(failure instanceof Error)) return { status: 'FAILED', error: 'Error', cause: String(failure) };
  return failure.message === ''
    ? { status: 'FAILED', error: failure.name }
    : { status: 'FAILED', error: failure.name, cause: failure.message };
};
