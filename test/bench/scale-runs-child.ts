/**
 * The cold probe of `scale-runs.ts`: a new process, as a new Lambda instance is, with fresh deps on the
 * benchmark's engine. It times its first search and a second one, then reports the heap the search left held
 * after a full collection. `direct`: the use case on fresh deps; `lambda`: over HTTP through the Lambda shim
 * (API Gateway's authorizer and the API Lambda's handler, built from the environment the stack sets).
 *
 * Run by the driver: `scale-runs-child.ts <endpoint> <table> <mode> <request json>`, with --expose-gc.
 */
import { createTrackingDeps } from '../../shared/config/dependencies.js';
import { ENV } from '../../shared/config/env.js';
import { createDynamoClient } from '../../shared/data/dynamo-client.js';
import { searchRuns, type SearchRunsRequest } from '../../shared/domain/tracking/run-search.js';
import { startLambdaShim } from '../support/lambda-shim.js';
import { heldHeapBytes } from './report.js';

export interface RunsColdSample {
  firstMs: number;
  secondMs: number;
  count: number;
  heldBytes: number;
  rssBytes: number;
}

const [endpoint, tableName, mode, requestJson] = process.argv.slice(2);
if (!endpoint || !tableName || !mode || !requestJson || !process.send) {
  console.error('scale-runs-child: run by test/bench/scale-runs.ts');
  process.exit(2);
}

const request = JSON.parse(requestJson) as SearchRunsRequest;

const searchOnce = await (async (): Promise<() => Promise<number>> => {
  if (mode === 'direct') {
    const deps = createTrackingDeps({ client: createDynamoClient({ endpoint }), tableName, searchSnapshots: 'stream' });
    return async () => (await searchRuns(deps, request)).page.length;
  }
  // The deployed API's path: API Gateway's authorizer (the admin's password, verified once, then cached as the
  // gateway does) and the API Lambda's handler, built from the environment the stack sets.
  const admin = { username: 'bench-admin', password: 'bench-admin-password-1' };
  const shim = await startLambdaShim(
    { [ENV.tableName]: tableName, [ENV.dynamoEndpoint]: endpoint, [ENV.adminUsername]: admin.username, [ENV.adminPassword]: admin.password, POWERTOOLS_LOG_LEVEL: 'ERROR' },
    { defaultAuthorization: `Basic ${Buffer.from(`${admin.username}:${admin.password}`).toString('base64')}` },
  );
  const body = JSON.stringify({ experiment_ids: request.experimentIds, filter: request.filter, order_by: request.orderBy, max_results: request.maxResults });
  return async () => {
    const answer = await fetch(`${shim.url}/api/2.0/mlflow/runs/search`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    if (answer.status !== 200) throw new Error(`runs/search answered ${answer.status}: ${(await answer.text()).slice(0, 300)}`);
    return ((await answer.json()) as { runs?: unknown[] }).runs?.length ?? 0;
  };
})();

const before = heldHeapBytes();
let started = performance.now();
const count = await searchOnce();
const firstMs = performance.now() - started;
started = performance.now();
await searchOnce();
const secondMs = performance.now() - started;
const sample: RunsColdSample = { firstMs, secondMs, count, heldBytes: heldHeapBytes() - before, rssBytes: process.memoryUsage().rss };
process.send(sample, () => process.exit(0));
