/**
 * The cold probe of `traces-search.ts`: a new process, as a new Lambda instance is, with fresh deps on the
 * benchmark's engine. It times its first search and a second one through the app (createApi), then reports the
 * heap the searches left held after a full collection (the trace index, for searches that use it).
 *
 * Run by the driver: `traces-search-child.ts <endpoint> <table> <experiment id> <body json>`, with --expose-gc.
 */
import { createApi } from '../../functions/api/create-api.js';
import { createTrackingDeps } from '../../shared/config/dependencies.js';
import { createDynamoClient } from '../../shared/data/dynamo-client.js';
import { heldHeapBytes } from './report.js';

export interface TracesColdSample {
  firstMs: number;
  secondMs: number;
  count: number;
  heldBytes: number;
}

const [endpoint, tableName, experimentId, bodyJson] = process.argv.slice(2);
if (!endpoint || !tableName || !experimentId || !bodyJson || !process.send) {
  console.error('traces-search-child: run by test/bench/traces-search.ts');
  process.exit(2);
}

// The stream (not this process) rebuilds snapshots: the probe only reads.
const app = createApi(createTrackingDeps({ client: createDynamoClient({ endpoint }), tableName, searchSnapshots: 'stream' }));
const body = JSON.stringify({ locations: [{ type: 'MLFLOW_EXPERIMENT', mlflow_experiment: { experiment_id: experimentId } }], ...JSON.parse(bodyJson) });
const searchOnce = async (): Promise<number> => {
  const response = await app.request('/api/3.0/mlflow/traces/search', { method: 'POST', headers: { 'content-type': 'application/json' }, body });
  const json = (await response.json()) as { traces?: unknown[]; message?: string };
  if (response.status !== 200) throw new Error(`search answered ${response.status}: ${json.message ?? ''}`);
  return json.traces?.length ?? 0;
};

const before = heldHeapBytes();
let started = performance.now();
const count = await searchOnce();
const firstMs = performance.now() - started;
started = performance.now();
await searchOnce();
const secondMs = performance.now() - started;
const sample: TracesColdSample = { firstMs, secondMs, count, heldBytes: heldHeapBytes() - before };
process.send(sample, () => process.exit(0));
