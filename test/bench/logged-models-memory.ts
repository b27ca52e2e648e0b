/**
 * Heap one logged model costs in the search index (shared/data/logged-models/search-kind.ts states the figure):
 * models decoded as a search re-reads them (the codec, from the stored item), 2 params, 2 tags and P metric
 * points each, measured after full collections. Run with `npx tsx --expose-gc test/bench/logged-models-memory.ts`.
 * Sizes: BENCH_LM_COUNT (20000) models, BENCH_LM_POINTS (0,3,10,50) points per model.
 */
import { fromLoggedModelItem, toLoggedModelItem } from '../../shared/data/logged-models/codec.js';
import { LOGGED_MODEL_SNAPSHOT_KIND } from '../../shared/data/logged-models/search-kind.js';
import type { LoggedModel } from '../../shared/domain/tracking/entities.js';
import { newLoggedModelId } from '../../shared/domain/tracking/names.js';
import { heldHeapBytes } from './report.js';
import { deserialize, serialize } from 'node:v8';

if (!(globalThis as { gc?: unknown }).gc) {
  console.error('run with --expose-gc: npx tsx --expose-gc test/bench/logged-models-memory.ts');
  process.exit(2);
}
const COUNT = Number(process.env.BENCH_LM_COUNT ?? 20_000);
const POINTS = (process.env.BENCH_LM_POINTS ?? '0,3,10,50').split(',').map(Number);

const modelWith = (i: number, points: number): LoggedModel => ({
  modelId: newLoggedModelId(),
  experimentId: '12',
  name: `lm-${i}`,
  artifactUri: `mlflow-artifacts:/12/models/m-${i}/artifacts`,
  status: 'LOGGED_MODEL_READY',
  creationTimestampMs: 1_770_000_000_000 + i,
  lastUpdatedTimestampMs: 1_770_000_000_000 + i,
  modelType: 'sklearn',
  sourceRunId: 'a1b2c3d4e5f6a1b2c3d4e5f6a1b2c3d4',
  tags: { 'mlflow.source.name': 'train.py', team: `t${i % 7}` },
  params: { alpha: String(Math.random()), depth: String(i % 12) },
  metrics: Array.from({ length: points }, (_, p) => ({
    key: ['acc', 'loss', 'f1'][p % 3]!,
    value: Math.random(),
    timestamp: 1_770_000_000_000 + p,
    step: p,
    runId: 'a1b2c3d4e5f6a1b2c3d4e5f6a1b2c3d4',
  })),
  lifecycleStage: 'active',
});

for (const points of POINTS) {
  // As the index holds them after a cold load: decoded, serialized into a part, deserialized and revived.
  const stored = Array.from({ length: COUNT }, (_, i) => serialize(fromLoggedModelItem(toLoggedModelItem(modelWith(i, points)))));
  let held: Map<string, { entity: LoggedModel }> | undefined = new Map(
    stored.map((bytes) => {
      const model = LOGGED_MODEL_SNAPSHOT_KIND.revive(deserialize(bytes) as LoggedModel);
      return [model.modelId, { entity: model }];
    }),
  );
  const size = held.size;
  const withModels = heldHeapBytes();
  // What dropping them frees (measured this way round, garbage of the previous size is gone before either figure).
  held = undefined;
  const perModel = (withModels - heldHeapBytes()) / COUNT;
  console.log(`${points} metric points: ${Math.round(perModel)} bytes per model held (${size} models)`);
}
