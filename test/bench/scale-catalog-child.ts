/**
 * The cold probe of `scale-catalog.ts`: a new process, as a new Lambda instance is, with fresh deps on the
 * benchmark's engine. It times its first search (and, apart, what building the deps cost), then reports the
 * heap the search left held after a full collection: what the process keeps for the next search.
 *
 * Run by the driver: `scale-catalog-child.ts <endpoint> <table> <search name> <place json>`, with --expose-gc.
 */
import { createTrackingDeps } from '../../shared/config/dependencies.js';
import { createDynamoClient } from '../../shared/data/dynamo-client.js';
import { searchNamed, type CatalogPlace } from './scale-catalog-searches.js';
import { heldHeapBytes } from './report.js';

export interface ColdSample {
  type: 'cold';
  depsMs: number;
  firstMs: number;
  secondMs: number;
  count: number;
  heldBytes: number;
  rssBytes: number;
}

const [endpoint, tableName, name, placeJson] = process.argv.slice(2);
if (!endpoint || !tableName || !name || !placeJson || !process.send) {
  console.error('scale-catalog-child: run by test/bench/scale-catalog.ts');
  process.exit(2);
}

const search = searchNamed(name);
const place = JSON.parse(placeJson) as CatalogPlace;
const started = performance.now();
const deps = createTrackingDeps({ client: createDynamoClient({ endpoint }), tableName });
const depsMs = performance.now() - started;
const before = heldHeapBytes();
const first = performance.now();
const count = await search.run(deps, place);
const firstMs = performance.now() - first;
const second = performance.now();
await search.run(deps, place);
const secondMs = performance.now() - second;
const after = heldHeapBytes();
const sample: ColdSample = {
  type: 'cold',
  depsMs,
  firstMs,
  secondMs,
  count,
  heldBytes: after - before,
  rssBytes: process.memoryUsage().rss,
};
process.send(sample, () => process.exit(0));
