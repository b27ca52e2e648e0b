import { ERROR_CODE_HTTP_STATUS, type ErrorCode } from './error-codes.js';

/** The one error type of the API: an MLflow error code, its message, and the HTTP status they map to. */
export class MlflowError extends Error {
  override readonly name = 'MlflowError';

  /** A status other than the code's own, for the few answers HTTP names better (413 for a body too large). */
  private readonly statusOverride: number | undefined;

  constructor(
    readonly errorCode: ErrorCode,
    message: string,
    options?: ErrorOptions & { httpStatus?: number },
  ) {
    super(message, options);
    this.statusOverride = options?.httpStatus;
  }

  get httpStatus(): number {
    return this.statusOverride ?? ERROR_CODE_HTTP_STATUS[this.errorCode] ?? 500;
  }

  toJSON(): { error_code: ErrorCode; message: string } {
    return { error_code: this.errorCode, message: this.message };
  }

  static is(error: unknown, code?: ErrorCode): error is MlflowError {
    return error instanceof MlflowError && (code === undefined || error.errorCode === code);
  }
}

export const invalidParameter = (message: string) => new MlflowError('INVALID_PARAMETER_VALUE', message);
export const notFound = (message: string) => new MlflowError('RESOURCE_DOES_NOT_EXIST', message);
export const alreadyExists = (message: string) => new MlflowError('RESOURCE_ALREADY_EXISTS', message);
export const badRequest = (message: string) => new MlflowError('BAD_REQUEST', message);
