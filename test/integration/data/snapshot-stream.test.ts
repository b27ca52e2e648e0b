import { randomUUID } from 'node:crypto';
import type { DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { createSnapshotStreamHandler } from '../../../functions/search/lambda-snapshots.js';
import { createDynamoClient } from '../../../shared/data/dynamo-client.js';
import { ensureTable } from '../../../shared/data/ensure-table.js';
import { RUN_DIRTY_ITEM, RUN_SNAPSHOT_KIND } from '../../../shared/data/runs/search-kind.js';
import { clearDirtyMark, readDirtyMarks } from '../../../shared/data/snapshots/dirty-marks.js';
import { REBUILD_REQUEST_ID, streamRebuildRequests } from '../../../shared/data/snapshots/rebuild-requests.js';
import { createSnapshotIndex } from '../../../shared/data/snapshots/snapshot-index.js';
import { createRunRepository } from '../../../shared/data/runs/repository.js';
import { readSnapshotHead } from '../../../shared/data/snapshots/snapshot-store.js';
import { TABLE } from '../../../shared/data/table-definition.js';
import { endpointOf, ENGINES } from '../../support/test-api.js';

/** A stream record as DynamoDB Streams delivers a dirty mark's INSERT (NEW_IMAGE). */
const markInserted = (experimentId: string, runId: string, sequenceNumber: string): DynamoDBRecord => ({
  eventName: 'INSERT',
  dynamodb: {
    SequenceNumber: sequenceNumber,
    NewImage: { [TABLE.entityTypeAttribute]: { S: RUN_DIRTY_ITEM }, experimentId: { S: experimentId }, runId: { S: runId } },
  },
});

describe.each(ENGINES)('search snapshot stream handler (%s)', (engine) => {
  it('builds a first snapshot, then rebuilds only once enough runs are dirty, clearing the marks it folds in', async () => {
    // Prepare
    const db = { client: createDynamoClient({ endpoint: endpointOf(engine) }), tableName: `cairn-snapstream-${randomUUID()}` };
    await ensureTable(db);
    const runs = createRunRepository(db);
    const handler = createSnapshotStreamHandler(db, { dueAt: 3 });
    const create = async (experimentId: string) => {
      const runId = randomUUID().replaceAll('-', '');
      await runs.create(
        { runId, experimentId, runName: 'r', userId: 'u', status: 'RUNNING', startTime: 1, artifactUri: `mlflow-artifacts:/${experimentId}/${runId}`, lifecycleStage: 'active' },
        [],
        Date.now(),
      );
      return runId;
    };
    const first = await create('21');
    const event = (records: DynamoDBRecord[]): DynamoDBStreamEvent => ({ Records: records });

    // Act
    const built = await handler(event([markInserted('21', first, '100'), { eventName: 'MODIFY', dynamodb: { SequenceNumber: '101' } }]));
    const headAfterFirst = await readSnapshotHead(db, RUN_SNAPSHOT_KIND, '21');
    const second = await create('21');
    const notYet = await handler(event([markInserted('21', second, '102')]));
    const marksBelowThreshold = (await readDirtyMarks(db, RUN_SNAPSHOT_KIND, '21')).size;
    const headBelowThreshold = await readSnapshotHead(db, RUN_SNAPSHOT_KIND, '21');
    const more = [await create('21'), await create('21')];
    await handler(event(more.map((runId, i) => markInserted('21', runId, String(103 + i)))));
    const headAfterRebuild = await readSnapshotHead(db, RUN_SNAPSHOT_KIND, '21');

    // Assess
    expect(built).toEqual({ batchItemFailures: [] });
    expect(headAfterFirst).toMatchObject({ version: 1, entries: 1 });
    expect(notYet).toEqual({ batchItemFailures: [] });
    expect(marksBelowThreshold).toBe(1);
    expect(headBelowThreshold?.version).toBe(1);
    expect(headAfterRebuild).toMatchObject({ version: 2, entries: 4 });
    expect((await readDirtyMarks(db, RUN_SNAPSHOT_KIND, '21')).size).toBe(0);
  });

  it('has a search ask the stream for a rebuild of an experiment with no snapshot and no new writes (written before snapshots)', async () => {
    // Prepare: 5 runs whose marks are gone, as for runs written before snapshots existed; no head
    const db = { client: createDynamoClient({ endpoint: endpointOf(engine) }), tableName: `cairn-snapask-${randomUUID()}` };
    await ensureTable(db);
    const runs = createRunRepository(db);
    for (let i = 0; i < 5; i++) {
      const runId = randomUUID().replaceAll('-', '');
      await runs.create({ runId, experimentId: '41', runName: 'r', userId: 'u', status: 'RUNNING', startTime: 1, artifactUri: `mlflow-artifacts:/41/${runId}`, lifecycleStage: 'active' }, [], Date.now());
    }
    for (const [runId, token] of await readDirtyMarks(db, RUN_SNAPSHOT_KIND, '41')) await clearDirtyMark(db, RUN_SNAPSHOT_KIND, '41', runId, token);
    const kind = { ...RUN_SNAPSHOT_KIND, dueAtDirty: 3 };
    const ask = streamRebuildRequests(db, RUN_SNAPSHOT_KIND);

    // Act: a search (as the API Lambda, where nothing rebuilds in the background), then the stream's delivery of the request
    const searched = await createSnapshotIndex(db, kind, { onSnapshotDue: ask }).entitiesOf('41');
    const asked = await readDirtyMarks(db, RUN_SNAPSHOT_KIND, '41');
    const answer = await createSnapshotStreamHandler(db, { dueAt: 3 })({ Records: [markInserted('41', REBUILD_REQUEST_ID, '7')] });
    const cold = await createSnapshotIndex(db, kind).entitiesOf('41');

    // Assess
    expect(searched).toHaveLength(5);
    expect([...asked.keys()]).toEqual([REBUILD_REQUEST_ID]);
    expect(answer).toEqual({ batchItemFailures: [] });
    expect(await readSnapshotHead(db, RUN_SNAPSHOT_KIND, '41')).toMatchObject({ version: 1, entries: 5 });
    expect((await readDirtyMarks(db, RUN_SNAPSHOT_KIND, '41')).size).toBe(0);
    expect(cold).toHaveLength(5);
  });

  it('reports the earliest record of an experiment whose rebuild failed, and leaves the others rebuilt', async () => {
    // Prepare: a table that does not exist fails every read
    const db = { client: createDynamoClient({ endpoint: endpointOf(engine) }), tableName: `cairn-missing-${randomUUID()}` };
    const errors: unknown[] = [];
    const handler = createSnapshotStreamHandler(db, { logError: (error) => errors.push(error) });

    // Act
    const answer = await handler({ Records: [markInserted('5', 'a', '900'), markInserted('6', 'b', '42'), markInserted('5', 'c', '901')] });

    // Assess
    expect(answer).toEqual({ batchItemFailures: [{ itemIdentifier: '42' }] });
    expect(errors).toHaveLength(2);
  });
});
