import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createDynamoClient } from '../../../shared/data/dynamo-client.js';
import { ensureTable } from '../../../shared/data/ensure-table.js';
import { localSnapshotFeed } from '../../../shared/data/snapshots/local-feed.js';
import { readDirtyMarks } from '../../../shared/data/snapshots/dirty-marks.js';
import { createRunRepository } from '../../../shared/data/runs/repository.js';
import { RUN_SNAPSHOT_KIND } from '../../../shared/data/runs/search-kind.js';
import { compactSnapshot } from '../../../shared/data/snapshots/snapshot-compactor.js';
import { readSnapshotHead } from '../../../shared/data/snapshots/snapshot-store.js';
import { createRunSummaryIndex } from '../../../shared/data/runs/summary-index.js';
import type { RunInfo } from '../../../shared/domain/tracking/entities.js';
import { eventually } from '../../support/eventually.js';
import { endpointOf, ENGINES } from '../../support/test-api.js';

const freshTable = async (engine: (typeof ENGINES)[number]) => {
  const db = { client: createDynamoClient({ endpoint: endpointOf(engine) }), tableName: `cairn-feed-${randomUUID()}` };
  await ensureTable(db);
  return db;
};

const info = (experimentId: string, runId: string): RunInfo => ({
  runId,
  experimentId,
  runName: runId.slice(0, 6),
  userId: 'u',
  status: 'RUNNING',
  startTime: 1,
  artifactUri: `mlflow-artifacts:/${experimentId}/${runId}/artifacts`,
  lifecycleStage: 'active',
});

const newRunId = () => randomUUID().replaceAll('-', '');


describe.each(ENGINES)('local snapshot feed (%s)', (engine) => {
  it('folds runs logged through the repository into the snapshot without any search, once enough are dirty', async () => {
    // Prepare
    const db = await freshTable(engine);
    const feed = localSnapshotFeed(db, RUN_SNAPSHOT_KIND, { dueAt: 10, delayMs: 50 });
    const runs = createRunRepository(db, { onRunMarked: feed.written });
    const ids = Array.from({ length: 30 }, newRunId);

    // Act
    await Promise.all(
      ids.map(async (id) => {
        await runs.create(info('11', id), [], Date.now());
        await runs.logData({ runId: id, experimentId: '11' }, { params: [{ key: 'p', value: id.slice(0, 4) }] }, Date.now());
      }),
    );
    const marks = await eventually(() => readDirtyMarks(db, RUN_SNAPSHOT_KIND, '11'), (held) => held.size < 10);
    const head = await readSnapshotHead(db, RUN_SNAPSHOT_KIND, '11');
    const searched = await createRunSummaryIndex(db).runsOf('11');

    // Assess: every run is in a published snapshot or still marked; none is lost either way.
    expect(marks.size).toBeLessThan(10);
    expect(head?.entries).toBeGreaterThanOrEqual(20);
    expect(new Set(searched.map((run) => run.info.runId))).toEqual(new Set(ids));
    for (const run of searched) expect(run.params.p).toBe(run.info.runId.slice(0, 4));
  });

  it('leaves an experiment with fewer dirty runs than due untouched, with a snapshot or without one yet', async () => {
    // Prepare: experiment 12 has a snapshot, experiment 14 none
    const db = await freshTable(engine);
    const feed = localSnapshotFeed(db, RUN_SNAPSHOT_KIND, { dueAt: 10, delayMs: 20 });
    const runs = createRunRepository(db, { onRunMarked: feed.written });
    await compactSnapshot(db, RUN_SNAPSHOT_KIND, '12');
    const before = await readSnapshotHead(db, RUN_SNAPSHOT_KIND, '12');

    // Act
    for (const id of Array.from({ length: 3 }, newRunId)) {
      await runs.create(info('12', id), [], Date.now());
      await runs.create(info('14', newRunId()), [], Date.now());
    }
    await new Promise((resolve) => setTimeout(resolve, 300));

    // Assess: nothing rebuilt in the background (the table changes only for a real burst)
    expect((await readDirtyMarks(db, RUN_SNAPSHOT_KIND, '12')).size).toBe(3);
    expect((await readSnapshotHead(db, RUN_SNAPSHOT_KIND, '12'))?.version).toBe(before?.version);
    expect((await readDirtyMarks(db, RUN_SNAPSHOT_KIND, '14')).size).toBe(3);
    expect(await readSnapshotHead(db, RUN_SNAPSHOT_KIND, '14')).toBeUndefined();
  });

  it('rebuilds only the segment of the one run written since the last rebuild, keeping the count of every run', async () => {
    // Prepare
    const db = await freshTable(engine);
    const runs = createRunRepository(db);
    const ids = Array.from({ length: 200 }, newRunId);
    await Promise.all(ids.map((id) => runs.create(info('13', id), [], Date.now())));
    const first = await compactSnapshot(db, RUN_SNAPSHOT_KIND, '13');

    // Act
    await runs.logData({ runId: ids[0]!, experimentId: '13' }, { tags: [{ key: 't', value: 'x' }] }, Date.now());
    const second = await compactSnapshot(db, RUN_SNAPSHOT_KIND, '13');
    const searched = await createRunSummaryIndex(db).runsOf('13');

    // Assess
    expect(first).toMatchObject({ published: true, entries: 200, marksCleared: 200 });
    expect(second).toMatchObject({ published: true, entries: 200, reread: 1, segmentsWritten: 1, marksCleared: 1 });
    expect(searched).toHaveLength(200);
    expect(searched.find((run) => run.info.runId === ids[0])?.tags).toMatchObject({ t: 'x' });
  });
});
