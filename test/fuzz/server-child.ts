/**
 * The server under fuzz, in its own process so that a request that blocks the event loop delays `/health`
 * as it would in production, and a server stuck for minutes can be killed and restarted. Started by
 * `startFuzzServer` (server.ts) with a JSON argument; reports `{ type: 'ready', url }` and every error the app
 * answered 500 for (`{ type: 'error', message }`) over IPC.
 */
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { ENV } from '../../shared/config/env.js';
import { startFauxqs, S3_PREFIX } from '../support/fauxqs.js';
import { startLambdaShim } from '../support/lambda-shim.js';
import { withUi } from '../../functions/local/ui-static.js';
import { answerClientErrorsAsJson } from '../../functions/local/client-errors.js';
import { buildFuzzApp } from './app.js';

export interface ChildArgs {
  mode: 'node' | 'lambda';
  endpoint: string;
  tableName: string;
  dataDir?: string;
}

const args = JSON.parse(process.argv[2] ?? '{}') as ChildArgs;
const report = (message: object) => process.send?.(message);
const logError = (error: unknown) =>
  report({ type: 'error', message: error instanceof Error ? `${error.name}: ${error.message}`.slice(0, 500) : String(error).slice(0, 500) });

const startNode = async (): Promise<string> => {
  let url = '';
  const { app } = await buildFuzzApp({ ...args, baseUrl: () => url, logError });
  const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
    const s = serve({ fetch: withUi(app.fetch), hostname: '127.0.0.1', port: 0 }, () => resolve(s));
  });
  // As npm start does (functions/local/server.ts): what Node's parser refuses is answered in MLflow's form.
  answerClientErrorsAsJson(server);
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return url;
};

/** The Lambda handler behind the API Gateway shim, with the environment the stack sets (S3 on fauxqs). */
const startLambda = async (): Promise<string> => {
  const fauxqs = await startFauxqs();
  const originalError = console.error;
  console.error = (...values: unknown[]) => (values.length > 0 ? logError(values.map(String).join(' ')) : originalError());
  // Authorization is always on in AWS: the fuzzer calls as the first admin, so every route is reached.
  const admin = { username: 'admin', password: randomBytes(24).toString('base64url') };
  const shim = await startLambdaShim(
    {
      [ENV.tableName]: args.tableName,
      [ENV.dynamoEndpoint]: args.endpoint,
      [ENV.artifactBucket]: await fauxqs.createBucket(),
      [ENV.artifactPrefix]: S3_PREFIX,
      [ENV.s3Endpoint]: fauxqs.endpoint,
      [ENV.artifactDownloads]: 'stream',
      [ENV.webhookSecretKey]: randomBytes(32).toString('base64'),
      [ENV.adminUsername]: admin.username,
      [ENV.adminPassword]: admin.password,
    },
    { defaultAuthorization: `Basic ${Buffer.from(`${admin.username}:${admin.password}`).toString('base64')}` },
  );
  return shim.url;
};

const url = await (args.mode === 'lambda' ? startLambda() : startNode());
report({ type: 'ready', url });
process.on('disconnect', () => process.exit(0));
