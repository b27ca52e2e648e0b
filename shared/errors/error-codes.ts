/**
 * MLflow's error codes and the HTTP status each one travels with, copied from
 * `ERROR_CODE_TO_HTTP_STATUS` in mlflow/exceptions.py. A code missing from the table answers 500,
 * as in MLflow.
 */
export const ERROR_CODE_HTTP_STATUS = {
  INVALID_PARAMETER_VALUE: 400,
  RESOURCE_ALREADY_EXISTS: 400,
  BAD_REQUEST: 400,
  UNAUTHENTICATED: 401,
  CUSTOMER_UNAUTHORIZED: 401,
  PERMISSION_DENIED: 403,
  RESOURCE_DOES_NOT_EXIST: 404,
  ENDPOINT_NOT_FOUND: 404,
  NOT_FOUND: 404,
  RESOURCE_CONFLICT: 409,
  ALREADY_EXISTS: 409,
  ABORTED: 409,
  REQUEST_LIMIT_EXCEEDED: 429,
  RESOURCE_EXHAUSTED: 429,
  CANCELLED: 499,
  INTERNAL_ERROR: 500,
  INVALID_STATE: 500,
  DATA_LOSS: 500,
  NOT_IMPLEMENTED: 501,
  TEMPORARILY_UNAVAILABLE: 503,
  DEADLINE_EXCEEDED: 504,
} as const satisfies Record<string, number>;

export type ErrorCode = keyof typeof ERROR_CODE_HTTP_STATUS;

/** Reverse direction for framework-level HTTP errors (MLflow's `HTTP_STATUS_TO_ERROR_CODE` overrides). */
export const errorCodeForHttpStatus = (status: number): ErrorCode => {
  if (status === 404) return 'ENDPOINT_NOT_FOUND';
  if (status === 413) return 'INVALID_PARAMETER_VALUE';
  if (status >= 400 && status < 500) return 'BAD_REQUEST';
  return 'INTERNAL_ERROR';
};
