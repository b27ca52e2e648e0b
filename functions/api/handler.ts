import { handle } from 'hono/aws-lambda';
import { createApiFromEnv } from './from-env.js';

export const handler = handle(await createApiFromEnv());
