import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { createDynamoClient } from '../../../shared/data/dynamo-client.js';
import { ensureTable } from '../../../shared/data/ensure-table.js';
import { createRunRepository } from '../../../shared/data/runs/repository.js';
import { RUN_SNAPSHOT_KIND } from '../../../shared/data/runs/search-kind.js';
import { compactSnapshot } from '../../../shared/data/snapshots/snapshot-compactor.js';
import { createRunSummaryIndex } from '../../../shared/data/runs/summary-index.js';
import type { RunInfo } from '../../../shared/domain/tracking/entities.js';
import { slowWire } from '../../support/slow-wire.js';
import { endpointOf, ENGINES } from '../../support/test-api.js';

const EXPERIMENT = '11';
const HOUR = 3_600_000;

const info = (runId: string): RunInfo => ({
  runId,
  experimentId: EXPERIMENT,
  runName: runId.slice(0, 6),
  userId: 'u',
  status: 'RUNNING',
  startTime: 1,
  artifactUri: `mlflow-artifacts:/${EXPERIMENT}/${runId}/artifacts`,
  lifecycleStage: 'active',
});

describe.each(ENGINES)('search sees every acknowledged write (%s)', (engine) => {
  it('a write stamped an hour in the past that lands after searches and a snapshot rebuild is seen by the next search', async () => {
    // Prepare: a warm index and a snapshot
    const tableName = `cairn-exact-${randomUUID()}`;
    const db = { client: createDynamoClient({ endpoint: endpointOf(engine) }), tableName };
    await ensureTable(db);
    const writer = await slowWire(endpointOf(engine));
    const runs = createRunRepository({ client: createDynamoClient({ endpoint: writer.endpoint }), tableName });
    const runIds = Array.from({ length: 3 }, () => randomUUID().replaceAll('-', ''));
    for (const runId of runIds) await runs.create(info(runId), [], Date.now());
    const index = createRunSummaryIndex(db);
    await index.runsOf(EXPERIMENT);
    await compactSnapshot(db, RUN_SNAPSHOT_KIND, EXPERIMENT);

    // Act: the writer's clock is an hour behind and its write takes 1.5 s to land; meanwhile searches refresh
    // the index and a rebuild publishes a new snapshot
    writer.delay.ms = 1500;
    const slow = runs.logData({ runId: runIds[0]!, experimentId: EXPERIMENT }, { params: [{ key: 'late', value: 'yes' }] }, Date.now() - HOUR);
    await sleep(200);
    const during = await index.runsOf(EXPERIMENT);
    await runs.logData({ runId: runIds[1]!, experimentId: EXPERIMENT }, { params: [{ key: 'other', value: 'x' }] }, Date.now() + HOUR).catch(() => undefined);
    const rebuilt = await compactSnapshot(db, RUN_SNAPSHOT_KIND, EXPERIMENT);
    await slow;
    const warm = await index.runsOf(EXPERIMENT);
    const cold = await createRunSummaryIndex(db).runsOf(EXPERIMENT);
    const afterRebuild = (await compactSnapshot(db, RUN_SNAPSHOT_KIND, EXPERIMENT), await createRunSummaryIndex(db).runsOf(EXPERIMENT));
    writer.close();

    // Assess
    const late = (found: typeof warm) => found.find((run) => run.info.runId === runIds[0])?.params.late;
    expect(late(during)).toBeUndefined();
    expect(rebuilt.published).toBe(true);
    expect(late(warm)).toBe('yes');
    expect(late(cold)).toBe('yes');
    expect(late(afterRebuild)).toBe('yes');
  });

  it('writers, snapshot rebuilds and searches at once: each search holds every write acknowledged before it began', async () => {
    // Prepare
    const tableName = `cairn-exact-${randomUUID()}`;
    const db = { client: createDynamoClient({ endpoint: endpointOf(engine) }), tableName };
    await ensureTable(db);
    const runs = createRunRepository(db);
    const runIds = Array.from({ length: 8 }, () => randomUUID().replaceAll('-', ''));
    for (const runId of runIds) await runs.create(info(runId), [], Date.now());
    const acknowledged = new Map(runIds.map((runId) => [runId, 0]));
    const indexes = [createRunSummaryIndex(db), createRunSummaryIndex(db)];
    let writing = true;
    const violations: string[] = [];
    let searches = 0;

    // Act: 8 writers with clocks skewed up to ±1 h, a rebuild loop, and two processes searching
    const writers = runIds.map(async (runId, w) => {
      for (let i = 0; i < 25; i++) {
        const skew = ((w % 3) - 1) * HOUR;
        await runs.logData({ runId, experimentId: EXPERIMENT }, { params: [{ key: `k${i}`, value: String(i) }] }, Date.now() + skew);
        acknowledged.set(runId, i + 1);
      }
    });
    const rebuilds = (async () => {
      while (writing) await compactSnapshot(db, RUN_SNAPSHOT_KIND, EXPERIMENT).catch((error: unknown) => violations.push(`rebuild failed: ${String(error)}`));
    })();
    const searchers = indexes.map(async (index) => {
      while (writing) {
        const expected = new Map(acknowledged);
        const seen = new Map((await index.runsOf(EXPERIMENT)).map((run) => [run.info.runId, Object.keys(run.params).length]));
        searches++;
        for (const [runId, count] of expected) {
          if ((seen.get(runId) ?? 0) < count) violations.push(`run ${runId}: ${seen.get(runId) ?? 0} params seen, ${count} acknowledged`);
        }
      }
    });
    await Promise.all(writers);
    writing = false;
    await Promise.all([rebuilds, ...searchers]);
    const final = await createRunSummaryIndex(db).runsOf(EXPERIMENT);

    // Assess
    expect(violations).toEqual([]);
    expect(searches).toBeGreaterThan(2);
    expect(final.map((run) => Object.keys(run.params).length)).toEqual(runIds.map(() => 25));
  });
});
