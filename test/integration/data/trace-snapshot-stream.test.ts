import { randomBytes, randomUUID } from 'node:crypto';
import type { DynamoDBRecord } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { createSnapshotStreamHandler } from '../../../functions/search/lambda-snapshots.js';
import { createDynamoClient } from '../../../shared/data/dynamo-client.js';
import { ensureTable } from '../../../shared/data/ensure-table.js';
import { RUN_DIRTY_ITEM, RUN_SNAPSHOT_KIND } from '../../../shared/data/runs/search-kind.js';
import { createRunRepository } from '../../../shared/data/runs/repository.js';
import { readDirtyMarks } from '../../../shared/data/snapshots/dirty-marks.js';
import { readSnapshotHead } from '../../../shared/data/snapshots/snapshot-store.js';
import { TABLE } from '../../../shared/data/table-definition.js';
import { createTraceRepository } from '../../../shared/data/traces/repository.js';
import { TRACE_DIRTY_ITEM, TRACE_SNAPSHOT_KIND } from '../../../shared/data/traces/search-kind.js';
import { endpointOf, ENGINES } from '../../support/test-api.js';

/** A stream record as DynamoDB Streams delivers a dirty mark's INSERT (NEW_IMAGE). */
const markInserted = (entity: string, experimentId: string, sequenceNumber: string): DynamoDBRecord => ({
  eventName: 'INSERT',
  dynamodb: { SequenceNumber: sequenceNumber, NewImage: { [TABLE.entityTypeAttribute]: { S: entity }, experimentId: { S: experimentId } } },
});

describe.each(ENGINES)('search snapshot stream handler, trace marks (%s)', (engine) => {
  it('builds the trace snapshot of an experiment a trace mark names, beside the run snapshot a run mark names, and clears the marks', async () => {
    // Prepare: one trace and one run in experiment 31
    const db = { client: createDynamoClient({ endpoint: endpointOf(engine) }), tableName: `cairn-tracestream-${randomUUID()}` };
    await ensureTable(db);
    const traceId = `tr-${randomBytes(16).toString('hex')}`;
    await createTraceRepository(db, {}).putInfo({ traceId, experimentId: '31', requestTime: 1, state: 'OK', metadata: {}, tags: {} }, 'spans');
    const runId = randomUUID().replaceAll('-', '');
    await createRunRepository(db).create(
      { runId, experimentId: '31', runName: 'r', userId: 'u', status: 'RUNNING', startTime: 1, artifactUri: `mlflow-artifacts:/31/${runId}`, lifecycleStage: 'active' },
      [],
      Date.now(),
    );
    const handler = createSnapshotStreamHandler(db, { dueAt: 3 });
    const marksBefore = (await readDirtyMarks(db, TRACE_SNAPSHOT_KIND, '31')).size;

    // Act
    const answer = await handler({ Records: [markInserted(TRACE_DIRTY_ITEM, '31', '10'), markInserted(RUN_DIRTY_ITEM, '31', '11')] });

    // Assess
    expect(answer).toEqual({ batchItemFailures: [] });
    expect(marksBefore).toBe(1);
    expect(await readSnapshotHead(db, TRACE_SNAPSHOT_KIND, '31')).toMatchObject({ version: 1, entries: 1 });
    expect(await readSnapshotHead(db, RUN_SNAPSHOT_KIND, '31')).toMatchObject({ version: 1 });
    expect((await readDirtyMarks(db, TRACE_SNAPSHOT_KIND, '31')).size).toBe(0);
  });

  it('reports the earliest trace mark of an experiment whose rebuild failed', async () => {
    // Prepare: a table that does not exist fails every read
    const db = { client: createDynamoClient({ endpoint: endpointOf(engine) }), tableName: `cairn-missing-${randomUUID()}` };
    const errors: unknown[] = [];
    const handler = createSnapshotStreamHandler(db, { logError: (error) => errors.push(error) });

    // Act
    const answer = await handler({ Records: [markInserted(TRACE_DIRTY_ITEM, '5', '900'), markInserted(TRACE_DIRTY_ITEM, '5', '901'), markInserted('something-else', '6', '1')] });

    // Assess
    expect(answer).toEqual({ batchItemFailures: [{ itemIdentifier: '900' }] });
    expect(errors).toHaveLength(1);
  });
});
