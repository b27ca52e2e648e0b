/**
 * Catalog searches at scale (issue 14, point 3): search_experiments over 100,000 experiments, the registry's
 * searches over 10,000 registered models with a few versions each, search_logged_models in an experiment of
 * 10,000 logged models (any order but the default one, or a filter, through the logged models' search index,
 * whose snapshot is built after loading). One embedded engine (the default, as `npm start`); the data goes in through the
 * data layer's codecs, not over HTTP (scale-catalog-load.ts). For each search (scale-catalog-searches.ts):
 *
 *   - cold: the first search of a new process with fresh deps (scale-catalog-child.ts), as a new Lambda
 *     instance makes it; p50/p95 over BENCH_CATALOG_COLD processes, and the heap that process then holds;
 *   - warm: BENCH_CATALOG_WARM searches in this process after one warm-up, p50/p95.
 *
 * Figures only: it never fails on time (exit 1 only when a page is not the size the loaded data implies).
 * Sizes: BENCH_CATALOG_EXPERIMENTS (100000), BENCH_CATALOG_MODELS (10000), BENCH_CATALOG_VERSIONS per model (3),
 * BENCH_CATALOG_LOGGED_MODELS (10000), BENCH_CATALOG_COLD (5), BENCH_CATALOG_WARM (30),
 * BENCH_CATALOG_ONLY=experiments,registry,logged (all), BENCH_CATALOG_DATA_DIR (the engine's data kept there and
 * loaded only once; default in memory).
 */
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { createTrackingDeps } from '../../shared/config/dependencies.js';
import { createDynamoClient } from '../../shared/data/dynamo-client.js';
import { ensureTable } from '../../shared/data/ensure-table.js';
import type { TrackingDeps } from '../../shared/domain/dependencies.js';
import { PutItemCommand } from '@aws-sdk/client-dynamodb';
import type { DbContext } from '../../shared/data/db-context.js';
import { getItem, toAttributes, type Item } from '../../shared/data/dynamo-ops.js';
import { createExperiment, ensureDefaultExperiment, searchExperiments, setExperimentTag } from '../../shared/domain/tracking/experiments.js';
import { startDynamoEngine } from '../../shared/local/dynamodb-engine.js';
import { LOGGED_MODEL_SNAPSHOT_KIND } from '../../shared/data/logged-models/search-kind.js';
import { compactSnapshot } from '../../shared/data/snapshots/snapshot-compactor.js';
import { fmt, fmtMs, log, stopwatch, summarize } from './report.js';
import { loadExperiments, loadLoggedModels, loadRegistry } from './scale-catalog-load.js';
import type { ColdSample } from './scale-catalog-child.js';
import { CATALOG_SEARCHES, type CatalogPlace, type CatalogSearch, type CatalogSizes } from './scale-catalog-searches.js';

const sizeFrom = (name: string, fallback: number): number => {
  const raw = process.env[name];
  const value = raw === undefined || raw.trim() === '' ? fallback : Number(raw.replaceAll('_', ''));
  if (!Number.isInteger(value) || value < 0) throw new Error(`${name} must be a whole number, got ${JSON.stringify(raw)}`);
  return value;
};

if (process.argv.includes('--help')) {
  console.log(
    'Usage: npm run bench:scale (catalog part: tsx test/bench/scale-catalog.ts)\n' +
      'Environment: BENCH_CATALOG_EXPERIMENTS (100000), BENCH_CATALOG_MODELS (10000), BENCH_CATALOG_VERSIONS (3),\n' +
      '  BENCH_CATALOG_LOGGED_MODELS (10000), BENCH_CATALOG_COLD (5), BENCH_CATALOG_WARM (30),\n' +
      '  BENCH_CATALOG_ONLY=experiments,registry,logged, BENCH_CATALOG_DATA_DIR (load once, measure often)',
  );
  process.exit(0);
}

const SIZES: CatalogSizes = {
  experiments: sizeFrom('BENCH_CATALOG_EXPERIMENTS', 100_000),
  models: sizeFrom('BENCH_CATALOG_MODELS', 10_000),
  versionsPerModel: sizeFrom('BENCH_CATALOG_VERSIONS', 3),
  loggedModels: sizeFrom('BENCH_CATALOG_LOGGED_MODELS', 10_000),
};
const COLD = sizeFrom('BENCH_CATALOG_COLD', 5);
const WARM = Math.max(1, sizeFrom('BENCH_CATALOG_WARM', 30));
const ONLY = new Set((process.env.BENCH_CATALOG_ONLY ?? 'experiments,registry,logged').split(',').map((s) => s.trim()));
const TABLE_NAME = 'cairn-bench-catalog';
/** A folder for the engine's data: loaded once, measured as often as wanted (delete it to load again). */
const DATA_DIR = process.env.BENCH_CATALOG_DATA_DIR?.trim() || undefined;

const MARKER = { pk: 'BENCH#CATALOG', sk: 'LOADED' };

/** Loads the data unless the engine's folder holds it already (BENCH_CATALOG_DATA_DIR: same sizes, every group wanted). */
const loadOnce = async (deps: TrackingDeps, db: DbContext): Promise<CatalogPlace> => {
  const sizes = JSON.stringify(SIZES);
  const marker = await getItem(db, MARKER);
  const loaded = new Set(marker?.sizes === sizes ? String(marker.groups ?? '').split(',') : []);
  if ([...ONLY].every((group) => loaded.has(group))) {
    log(`data already loaded in ${DATA_DIR}: ${sizes}`);
    return JSON.parse(String(marker?.place)) as CatalogPlace;
  }
  const base = Date.UTC(2026, 0, 1);
  if (ONLY.has('experiments')) await loadExperiments(db, SIZES.experiments, base);
  if (ONLY.has('registry')) await loadRegistry(db, SIZES, base);
  const place: CatalogPlace = { loggedModelExperimentId: '0' };
  if (ONLY.has('logged')) {
    place.loggedModelExperimentId = await createExperiment(deps, { name: 'logged-models-home', tags: [] });
    await loadLoggedModels(db, place.loggedModelExperimentId, SIZES.loggedModels, base);
  }
  await putItem(db, { ...MARKER, sizes, groups: [...ONLY].sort().join(','), place: JSON.stringify(place) });
  return place;
};

const putItem = (db: DbContext, item: Item) =>
  db.client.send(new PutItemCommand({ TableName: db.tableName, Item: toAttributes(item) }));

/**
 * search_experiments (default order, 100) in one process while 8 writers in another set tags on random
 * experiments: every search first reads the changes since the last one (and the entries they wrote), and the
 * writers race for their shards' heads.
 */
const searchWhileWriting = async (db: DbContext) => {
  const reader = createTrackingDeps(db);
  const writer = createTrackingDeps(db);
  await searchExperiments(reader, { maxResults: 100 });
  let writing = true;
  let writes = 0;
  const clock = stopwatch();
  const writers = Array.from({ length: 8 }, async (_, w) => {
    for (let i = 0; writing; i++) {
      const id = String(1 + ((w * 7919 + i * 104_729) % SIZES.experiments));
      await setExperimentTag(writer, id, 'bench', `${w}-${i}`);
      writes++;
    }
  });
  const times: number[] = [];
  for (let i = 0; i < WARM; i++) {
    const search = stopwatch();
    await searchExperiments(reader, { maxResults: 100 });
    times.push(search());
  }
  writing = false;
  await Promise.all(writers);
  const w = summarize(times);
  console.log(
    `experiments, default order, 100, while 8 writers set tags: warm p50 ${fmtMs(w.p50)}, p95 ${fmtMs(w.p95)}; ` +
      `${fmt((writes * 1000) / clock(), 0)} tag writes/s meanwhile`,
  );
};

const groupOf = (search: CatalogSearch) =>
  search.name.startsWith('experiments') ? 'experiments' : search.name.startsWith('logged') ? 'logged' : 'registry';

const coldSample = (endpoint: string, search: CatalogSearch, place: CatalogPlace): Promise<ColdSample> =>
  new Promise((resolve, reject) => {
    const child = fork(
      fileURLToPath(new URL('./scale-catalog-child.ts', import.meta.url)),
      [endpoint, TABLE_NAME, search.name, JSON.stringify(place)],
      { stdio: 'inherit', execArgv: [...process.execArgv, '--expose-gc'], env: { ...process.env, NODE_NO_WARNINGS: '1' } },
    );
    let answered = false;
    child.once('message', (message: ColdSample) => {
      answered = true;
      resolve(message);
    });
    child.once('error', reject);
    child.once('exit', (code) => {
      if (!answered) reject(new Error(`the cold probe of ${search.name} exited with ${String(code)}`));
    });
  });

const MB = 1024 * 1024;

const engine = await startDynamoEngine({ kind: 'auto', ...(DATA_DIR ? { dataDir: DATA_DIR } : {}) });
const client = createDynamoClient({ endpoint: engine.endpoint });
const wrong: string[] = [];
try {
  const db: DbContext = { client, tableName: TABLE_NAME };
  await ensureTable(db);
  const deps = createTrackingDeps(db);
  await ensureDefaultExperiment(deps);
  log(`engine ${engine.kind}; data ${JSON.stringify(SIZES)} (${[...ONLY].join(', ')})`);
  const place = await loadOnce(deps, db);
  // The first search of each catalog after loading: where the table was written without the catalog (the
  // bulk load above, or a table from before it), this one builds it, once for the table's life.
  for (const group of ['experiments', 'registry', 'logged']) {
    const first = CATALOG_SEARCHES.find((s) => groupOf(s) === group && ONLY.has(group));
    if (!first) continue;
    const clock = stopwatch();
    await first.run(createTrackingDeps(db), place);
    log(`first search of ${group} after loading (builds a missing catalog): ${fmtMs(clock())}`);
  }
  if (ONLY.has('logged')) {
    // The bulk load wrote no dirty marks: build the logged models' search snapshot now, as the local feed does
    // after the first search (or the stream consumer in AWS), so cold probes load it rather than read gsi1.
    const clock = stopwatch();
    const built = await compactSnapshot(db, LOGGED_MODEL_SNAPSHOT_KIND, place.loggedModelExperimentId);
    log(`logged models' search snapshot: ${built.entries} models in ${fmtMs(clock())}`);
  }
  const sizes: CatalogSizes = {
    ...SIZES,
    // Experiments besides exp-…: Default, and the logged models' home.
    experiments: ONLY.has('experiments') ? SIZES.experiments : 0,
  };
  const extra = ONLY.has('logged') ? 2 : 1;

  console.log('');
  console.log(`| Search | cold p50 | cold p95 | warm p50 | warm p95 | held after cold | page |`);
  console.log(`|---|---:|---:|---:|---:|---:|---:|`);
  for (const search of CATALOG_SEARCHES.filter((s) => ONLY.has(groupOf(s)))) {
    const expected =
      typeof search.expect === 'number'
        ? search.expect
        : search.name.startsWith('experiments, default')
          ? Math.min(search.expect(sizes), sizes.experiments + extra)
          : search.expect(sizes);
    const cold: ColdSample[] = [];
    for (let i = 0; i < COLD; i++) cold.push(await coldSample(engine.endpoint, search, place));
    const fresh = createTrackingDeps({ client, tableName: TABLE_NAME });
    const count = await search.run(fresh, place);
    const times: number[] = [];
    for (let i = 0; i < WARM; i++) {
      const clock = stopwatch();
      await search.run(fresh, place);
      times.push(clock());
    }
    if (expected >= 0 && count !== expected) wrong.push(`${search.name}: ${count} answered, ${expected} expected`);
    const c = summarize(cold.map((s) => s.firstMs));
    const w = summarize(times);
    const held = cold.length ? Math.max(...cold.map((s) => s.heldBytes)) / MB : Number.NaN;
    console.log(
      `| ${search.name} | ${cold.length ? fmtMs(c.p50) : '—'} | ${cold.length ? fmtMs(c.p95) : '—'} | ${fmtMs(w.p50)} | ${fmtMs(w.p95)} | ${fmt(held, 1)} MB | ${count} |`,
    );
  }
  console.log('');
  console.log(
    `cold: the first search of a new process (${COLD} processes each); held: heap after that search and a full GC, ` +
      `minus before it; warm: ${WARM} searches after one warm-up. Engine ${engine.kind}, 1 process, local.`,
  );
  if (ONLY.has('experiments') && SIZES.experiments > 0) await searchWhileWriting(db);
} finally {
  client.destroy();
  await engine.stop();
}
if (wrong.length > 0) {
  console.error(`Wrong answers:\n  ${wrong.join('\n  ')}`);
  process.exit(1);
}
