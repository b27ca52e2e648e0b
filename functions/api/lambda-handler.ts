import { handle } from 'hono/aws-lambda';
import { createApiFromEnv, type ApiFromEnvOptions } from './from-env.js';
import { withoutIamPrefix } from './strip-prefix.js';

/**
 * The API as a Lambda handler, built from an environment: what `functions/api/handler.ts` exports, and
 * what the tests' HTTP-to-API-Gateway shim runs with the environment the stack sets.
 */
export const createLambdaHandler = async (
  env: NodeJS.ProcessEnv,
  logError?: (error: unknown) => void,
  options: Omit<ApiFromEnvOptions, 'logError'> = {},
) => {
  const serve = handle(await createApiFromEnv(env, { ...options, ...(logError ? { logError } : {}) }));
  /** API Gateway REST (v1) or HTTP (v2) events; `/iam/...` (the SigV4 tree) is served as `/...`. */
  const handler: typeof serve = (event, context) => serve(withoutIamPrefix(event), context);
  return handler;
};
