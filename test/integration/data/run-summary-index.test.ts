import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createDynamoClient } from '../../../shared/data/dynamo-client.js';
import { ensureTable } from '../../../shared/data/ensure-table.js';
import { createRunRepository } from '../../../shared/data/runs/repository.js';
import { RUN_SNAPSHOT_KIND } from '../../../shared/data/runs/search-kind.js';
import { compactSnapshot } from '../../../shared/data/snapshots/snapshot-compactor.js';
import { createRunSummaryIndex } from '../../../shared/data/runs/summary-index.js';
import { createSnapshotMemory } from '../../../shared/data/snapshots/memory-budget.js';
import { createTraceRepository } from '../../../shared/data/traces/repository.js';
import { createTraceSearchIndex } from '../../../shared/data/traces/search-index.js';
import type { TraceInfo } from '../../../shared/domain/genai/entities.js';
import type { RunInfo } from '../../../shared/domain/tracking/entities.js';
import { endpointOf, ENGINES } from '../../support/test-api.js';

const freshTable = async (engine: (typeof ENGINES)[number]) => {
  const db = { client: createDynamoClient({ endpoint: endpointOf(engine) }), tableName: `cairn-index-${randomUUID()}` };
  await ensureTable(db);
  return db;
};

const info = (runId: string): RunInfo => ({
  runId,
  experimentId: '7',
  runName: runId.slice(0, 6),
  userId: 'u',
  status: 'RUNNING',
  startTime: 1,
  artifactUri: `mlflow-artifacts:/7/${runId}/artifacts`,
  lifecycleStage: 'active',
});

const newRunId = () => randomUUID().replaceAll('-', '');

describe.each(ENGINES)('run summary index (%s)', (engine) => {
  it('applies tag deletions, lifecycle changes and newer latest values, before and after a snapshot', async () => {
    // Prepare
    const db = await freshTable(engine);
    const runs = createRunRepository(db);
    const index = createRunSummaryIndex(db);
    const ids = Array.from({ length: 20 }, newRunId);
    for (const id of ids) {
      await runs.create(info(id), [{ key: 'team', value: 'a' }], Date.now());
      await runs.logData({ runId: id, experimentId: '7' }, { metrics: [{ key: 'm', value: 1, timestamp: 1, step: 0 }] }, Date.now());
    }
    const before = await index.runsOf('7');
    const compacted = await compactSnapshot(db, RUN_SNAPSHOT_KIND, '7');

    // Act
    await runs.deleteTag({ runId: ids[0]!, experimentId: '7' }, 'team', Date.now());
    await runs.setLifecycle({ runId: ids[1]!, experimentId: '7' }, 'deleted', Date.now());
    await runs.logData({ runId: ids[2]!, experimentId: '7' }, { metrics: [{ key: 'm', value: 5, timestamp: 2, step: 1 }] }, Date.now());
    const warm = new Map((await index.runsOf('7')).map((run) => [run.info.runId, run]));
    const cold = new Map((await createRunSummaryIndex(db).runsOf('7')).map((run) => [run.info.runId, run]));

    // Assess
    expect(before).toHaveLength(20);
    expect(compacted).toMatchObject({ published: true, entries: 20, marksCleared: 20 });
    for (const after of [warm, cold]) {
      expect(after.size).toBe(20);
      expect(after.get(ids[0]!)?.tags).toEqual({});
      expect(after.get(ids[1]!)?.info.lifecycleStage).toBe('deleted');
      expect(after.get(ids[2]!)?.metrics.m).toMatchObject({ value: 5, step: 1 });
      expect(after.get(ids[3]!)?.tags).toEqual({ team: 'a' });
    }
  });

  it('keeps values JSON cannot hold, and keys named like Object.prototype members, through a snapshot', async () => {
    // Prepare
    const db = await freshTable(engine);
    const runs = createRunRepository(db);
    const runId = newRunId();
    await runs.create(info(runId), [{ key: '__proto__', value: 'tag' }], Date.now());
    await runs.logData(
      { runId, experimentId: '7' },
      {
        params: [{ key: 'constructor', value: 'p' }],
        metrics: [
          { key: 'nan', value: Number.NaN, timestamp: 1, step: 0 },
          { key: 'inf', value: Number.NEGATIVE_INFINITY, timestamp: 1, step: 0 },
        ],
      },
      Date.now(),
    );

    // Act
    await compactSnapshot(db, RUN_SNAPSHOT_KIND, '7');
    const [run] = await createRunSummaryIndex(db).runsOf('7');

    // Assess
    expect(Object.getPrototypeOf(run!.tags)).toBeNull();
    expect(Object.keys(run!.tags)).toEqual(['__proto__']);
    expect(run!.params.constructor).toBe('p');
    expect(run!.metrics.nan?.value).toBeNaN();
    expect(run!.metrics.inf?.value).toBe(Number.NEGATIVE_INFINITY);
  });

  it('drops the least recently searched experiment when over its run bound, never the one searched', async () => {
    // Prepare: two experiments of two runs each, and room for three runs
    const db = await freshTable(engine);
    const runs = createRunRepository(db);
    for (const experimentId of ['7', '8']) {
      for (let i = 0; i < 2; i++) await runs.create({ ...info(newRunId()), experimentId }, [], Date.now());
    }
    const index = createRunSummaryIndex(db, { maxRuns: 3 });

    // Act
    await index.runsOf('7');
    const afterFirst = index.heldRuns();
    const second = await index.runsOf('8');
    const afterSecond = index.heldRuns();

    // Assess
    expect([...afterFirst]).toEqual([['7', 2]]);
    expect(second).toHaveLength(2);
    expect([...afterSecond]).toEqual([['8', 2]]);
  });

  it('shares one memory budget with the trace index: searching one drops the other’s least recently searched experiment', async () => {
    // Prepare: experiment 7 with 3 runs; a budget that holds them, but not them and experiment 9's traces too
    const db = await freshTable(engine);
    const runs = createRunRepository(db);
    for (let i = 0; i < 3; i++) await runs.create(info(newRunId()), [], Date.now());
    const traces = createTraceRepository(db, {});
    for (let i = 0; i < 2; i++) {
      await traces.putInfo({ traceId: `tr-${newRunId()}`, experimentId: '9', requestTime: Date.now(), state: 'OK', metadata: {}, tags: {} } as TraceInfo, 'client');
    }
    const memory = createSnapshotMemory(3 * (RUN_SNAPSHOT_KIND.heldBytes ?? 0));
    const runIndex = createRunSummaryIndex(db, { memory });
    const traceIndex = createTraceSearchIndex(db, { memory });

    // Act
    await runIndex.runsOf('7');
    const runsHeldFirst = [...runIndex.heldRuns()];
    const infos = await traceIndex.infosOf('9');
    const runsHeldAfter = [...runIndex.heldRuns()];
    const again = await runIndex.runsOf('7');

    // Assess
    expect(runsHeldFirst).toEqual([['7', 3]]);
    expect(infos).toHaveLength(2);
    expect(runsHeldAfter).toEqual([]);
    expect(again).toHaveLength(3);
    expect([...traceIndex.heldInfos()]).toEqual([]);
  });
});

