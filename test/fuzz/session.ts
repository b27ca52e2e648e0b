import { randomUUID } from 'node:crypto';
import { createDynamoClient } from '../../shared/data/dynamo-client.js';
import type { FuzzRequest, Pools } from './arbitraries.js';
import { FUZZ_ADMIN, FUZZ_ADMIN_AUTHORIZATION, prepareTable } from './app.js';
import { createChecker, type CheckOptions } from './properties.js';
import { seedWorld } from './seed.js';
import { startFuzzServer, type FuzzServer } from './server.js';
import { snapshotTable } from './snapshot.js';

export interface FuzzSession {
  server: FuzzServer;
  pools: Pools;
  tableName: string;
  check: ReturnType<typeof createChecker>;
  /** Whether a request reaches the app on this path (API Gateway answers other methods itself). */
  reaches(request: FuzzRequest): boolean;
  stop(): Promise<void>;
}

/** The methods of an API Gateway REST `ANY` method; others never reach the Lambda handler. */
const API_GATEWAY_METHODS = new Set(['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS']);

export const DEFAULT_CHECK: CheckOptions = { timeoutMs: 15_000, healthLimitMs: 100 };

/**
 * A server under fuzz on a fresh table of `endpoint` (`node`: the app on @hono/node-server as `npm start`
 * serves it; `lambda`: the Lambda handler behind the API Gateway shim), seeded, with its checker.
 */
export const startFuzzSession = async (mode: 'node' | 'lambda', endpoint: string, check: CheckOptions = DEFAULT_CHECK): Promise<FuzzSession> => {
  const tableName = `cairn-fuzz-${randomUUID()}`;
  // The local server checks credentials itself: the fuzzer sends the first admin's, so every request reaches its
  // handler. Behind the Lambda shim the stack's own first admin is sent by the shim (server-child.ts).
  const authorization = mode === 'node' ? FUZZ_ADMIN_AUTHORIZATION : undefined;
  await prepareTable(endpoint, tableName, mode === 'node' ? FUZZ_ADMIN : undefined);
  const server = await startFuzzServer({ mode, endpoint, tableName });
  const client = createDynamoClient({ endpoint });
  try {
    const pools = await seedWorld(server.url, authorization);
    return {
      server,
      pools,
      tableName,
      reaches: (request) => mode === 'node' || API_GATEWAY_METHODS.has(request.method),
      check: createChecker(
        { server, snapshot: () => snapshotTable(client, tableName), frontIsProduct: mode === 'node', ...(authorization ? { authorization } : {}) },
        check,
      ),
      async stop() {
        await server.stop();
        client.destroy();
      },
    };
  } catch (error) {
    await server.stop();
    client.destroy();
    throw error;
  }
};
