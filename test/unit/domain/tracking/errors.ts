import { MlflowError } from '../../../../shared/errors/index.js';

/** The MLflow error a use case rejected with, as code and message; any other outcome fails the test. */
export const errorOf = async (promise: Promise<unknown>): Promise<{ code: string; message: string }> => {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof MlflowError)) throw new Error(`expected an MlflowError, got ${String(error)}`);
  return { code: error.errorCode, message: error.message };
};
