/**
 * Catalog searches at scale (issue 14, point 3): search_experiments over 100,000 experiments, the registry's
 * searches over 10,000 registered models with a few versions each, search_logged_models in an experiment of
 * 10,000 logged models. One embedded engine (the default, as `npm start`); the data goes in through the
 * repositories and use cases, not over HTTP. For each search (scale-catalog-searches.ts):
 *
 *   - cold: the first search of a new process with fresh deps (scale-catalog-child.ts), as a new Lambda
 *     instance makes it; p50/p95 over BENCH_CATALOG_COLD processes, and the heap that process then holds;
 *   - warm: BENCH_CATALOG_WARM searches in this process after one warm-up, p50/p95.
 *
 * Figures only: it never fails on time (exit 1 only when a page is not the size the loaded data implies).
 * Sizes: BENCH_CATALOG_EXPERIMENTS (100000), BENCH_CATALOG_MODELS (10000), BENCH_CATALOG_VERSIONS per model (3),
 * BENCH_CATALOG_LOGGED_MODELS (10000), BENCH_CATALOG_COLD (5), BENCH_CATALOG_WARM (30),
 * BENCH_CATALOG_ONLY=experiments,registry,logged (all), BENCH_CATALOG_CONCURRENCY of the loading (32).
 */
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { createTrackingDeps } from '../../shared/config/dependencies.js';
import { createDynamoClient } from '../../shared/data/dynamo-client.js';
import { ensureTable } from '../../shared/data/ensure-table.js';
import type { TrackingDeps } from '../../shared/domain/dependencies.js';
import { createModelVersion } from '../../shared/domain/registry/model-versions.js';
import { createRegisteredModel } from '../../shared/domain/registry/registered-models.js';
import { createExperiment, ensureDefaultExperiment } from '../../shared/domain/tracking/experiments.js';
import { newLoggedModelId } from '../../shared/domain/tracking/names.js';
import { startDynamoEngine } from '../../shared/local/dynamodb-engine.js';
import { seededRandom } from '../support/seeded-random.js';
import { fmt, fmtMs, log, stopwatch, summarize } from './report.js';
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
      '  BENCH_CATALOG_ONLY=experiments,registry,logged, BENCH_CATALOG_CONCURRENCY (32)',
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
const CONCURRENCY = Math.max(1, sizeFrom('BENCH_CATALOG_CONCURRENCY', 32));
const ONLY = new Set((process.env.BENCH_CATALOG_ONLY ?? 'experiments,registry,logged').split(',').map((s) => s.trim()));
const TABLE_NAME = 'cairn-bench-catalog';

/** Runs `task(i)` for i in [0, count) with at most CONCURRENCY at once, logging progress every ~10%. */
const inParallel = async (what: string, count: number, task: (i: number) => Promise<void>) => {
  const clock = stopwatch();
  let next = 0;
  let done = 0;
  const step = Math.max(1, Math.ceil(count / 10));
  const worker = async () => {
    while (next < count) {
      const i = next++;
      await task(i);
      if (++done % step === 0) log(`  ${what}: ${fmt(done)} / ${fmt(count)} (${fmt((done * 1000) / clock(), 0)}/s)`);
    }
  };
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, count) }, worker));
  log(`${what}: ${fmt(count)} in ${fmt(clock() / 1000, 1)} s`);
};

const loadExperiments = (deps: TrackingDeps) =>
  inParallel('experiments', SIZES.experiments, async (i) => {
    await createExperiment(deps, { name: `exp-${i + 1}`, tags: i % 10 === 0 ? [{ key: 'team', value: `t${i % 7}` }] : [] });
  });

const loadRegistry = (deps: TrackingDeps) =>
  inParallel('registered models', SIZES.models, async (i) => {
    const name = `model-${i + 1}`;
    await createRegisteredModel(deps, { name, tags: [{ key: 'team', value: `t${i % 7}` }] });
    for (let v = 0; v < SIZES.versionsPerModel; v++) {
      await createModelVersion(deps, { name, source: `s3://bench/models/${name}/${v + 1}`, runId: `run${i}x${v}`, tags: [] });
    }
  });

const loadLoggedModels = async (deps: TrackingDeps): Promise<string> => {
  const experimentId = await createExperiment(deps, { name: 'logged-models-home', tags: [] });
  const random = seededRandom(7);
  const base = Date.now() - SIZES.loggedModels * 1000;
  await inParallel('logged models', SIZES.loggedModels, async (i) => {
    const created = base + i * 1000;
    const metric = (key: string) => ({ key, value: random(), timestamp: created, step: 0, runId: 'benchrun' });
    await deps.loggedModels.create({
      modelId: newLoggedModelId(),
      experimentId,
      name: `lm-${i + 1}`,
      artifactUri: `s3://bench/${experimentId}/models/${i}`,
      status: 'LOGGED_MODEL_READY',
      creationTimestampMs: created,
      lastUpdatedTimestampMs: created,
      modelType: 'sklearn',
      sourceRunId: 'benchrun',
      tags: { 'mlflow.source.name': 'bench.py', team: `t${i % 7}` },
      params: { alpha: String(random()), depth: String(i % 12) },
      metrics: [metric('acc'), metric('loss'), metric('f1')],
      lifecycleStage: 'active',
    });
  });
  return experimentId;
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

const engine = await startDynamoEngine({ kind: 'auto' });
const client = createDynamoClient({ endpoint: engine.endpoint });
const wrong: string[] = [];
try {
  await ensureTable({ client, tableName: TABLE_NAME });
  const deps = createTrackingDeps({ client, tableName: TABLE_NAME });
  await ensureDefaultExperiment(deps);
  log(`engine ${engine.kind}; loading ${JSON.stringify(SIZES)} (${[...ONLY].join(', ')})`);
  if (ONLY.has('experiments')) await loadExperiments(deps);
  if (ONLY.has('registry')) await loadRegistry(deps);
  const place: CatalogPlace = { loggedModelExperimentId: ONLY.has('logged') ? await loadLoggedModels(deps) : '0' };
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
} finally {
  client.destroy();
  await engine.stop();
}
if (wrong.length > 0) {
  console.error(`Wrong answers:\n  ${wrong.join('\n  ')}`);
  process.exit(1);
}
