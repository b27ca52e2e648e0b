import { randomBytes, randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createDynamoClient } from '../../../shared/data/dynamo-client.js';
import { ensureTable } from '../../../shared/data/ensure-table.js';
import { readDirtyMarks } from '../../../shared/data/snapshots/dirty-marks.js';
import { localSnapshotFeed } from '../../../shared/data/snapshots/local-feed.js';
import { compactSnapshot } from '../../../shared/data/snapshots/snapshot-compactor.js';
import { readSnapshotHead } from '../../../shared/data/snapshots/snapshot-store.js';
import { createTraceRepository } from '../../../shared/data/traces/repository.js';
import { createTraceSearchIndex } from '../../../shared/data/traces/search-index.js';
import { TRACE_SNAPSHOT_KIND } from '../../../shared/data/traces/search-kind.js';
import type { TraceInfo } from '../../../shared/domain/genai/entities.js';
import { recordOf } from '../../../shared/domain/kernel/own-records.js';
import { eventually } from '../../support/eventually.js';
import { endpointOf, ENGINES } from '../../support/test-api.js';

const freshTable = async (engine: (typeof ENGINES)[number]) => {
  const db = { client: createDynamoClient({ endpoint: endpointOf(engine) }), tableName: `cairn-trace-index-${randomUUID()}` };
  await ensureTable(db);
  return db;
};

const infoOf = (experimentId: string, requestTime: number, tags: Record<string, string> = {}): TraceInfo => ({
  traceId: `tr-${randomBytes(16).toString('hex')}`,
  experimentId,
  requestTime,
  state: 'OK',
  metadata: {},
  tags,
});

const idsOf = (infos: readonly TraceInfo[]) => infos.map((info) => info.traceId).sort();


describe.each(ENGINES)('trace search index (%s)', (engine) => {
  it('drops traces deleted by ids and by age from warm and cold searches, and a rebuild keeps them gone', async () => {
    // Prepare: 6 traces in a snapshot, an index warm on it
    const db = await freshTable(engine);
    const traces = createTraceRepository(db, {});
    const infos = [100, 200, 300, 400, 500, 600].map((time) => infoOf('3', time));
    for (const info of infos) await traces.putInfo(info, 'spans');
    await compactSnapshot(db, TRACE_SNAPSHOT_KIND, '3');
    const warm = createTraceSearchIndex(db);
    await warm.infosOf('3');
    const [oldest, second, , byId] = infos as [TraceInfo, TraceInfo, TraceInfo, TraceInfo];

    // Act
    const byAge = await traces.deleteTraces('3', { maxTimestampMillis: 250 });
    const byIds = await traces.deleteTraces('3', { traceIds: [byId.traceId, 'tr-none'] });
    const warmAfter = await warm.infosOf('3');
    const coldAfter = await createTraceSearchIndex(db).infosOf('3');
    const rebuilt = await compactSnapshot(db, TRACE_SNAPSHOT_KIND, '3');
    const afterRebuild = await createTraceSearchIndex(db).infosOf('3');

    // Assess
    const kept = idsOf(infos.filter((info) => ![oldest, second, byId].includes(info)));
    expect([byAge, byIds]).toEqual([2, 1]);
    expect(idsOf(warmAfter)).toEqual(kept);
    expect(idsOf(coldAfter)).toEqual(kept);
    expect(rebuilt).toMatchObject({ published: true, entries: 3, marksCleared: 3 });
    expect(idsOf(afterRebuild)).toEqual(kept);
    expect((await readDirtyMarks(db, TRACE_SNAPSHOT_KIND, '3')).size).toBe(0);
  });

  it('keeps tag and metadata keys such as __proto__ as own keys of prototype-less maps through a snapshot', async () => {
    // Prepare
    const db = await freshTable(engine);
    const info = { ...infoOf('4', 1), tags: recordOf([['__proto__', 'x'], ['constructor', 'y']]), metadata: recordOf([['__proto__', 'm']]) };
    await createTraceRepository(db, {}).putInfo(info, 'spans');
    await compactSnapshot(db, TRACE_SNAPSHOT_KIND, '4');

    // Act
    const [read] = await createTraceSearchIndex(db).infosOf('4');

    // Assess
    expect(Object.getPrototypeOf(read?.tags)).toBeNull();
    expect(Object.getPrototypeOf(read?.metadata)).toBeNull();
    expect(Object.entries(read?.tags ?? {}).sort()).toEqual([['__proto__', 'x'], ['constructor', 'y']]);
    expect(Object.entries(read?.metadata ?? {})).toEqual([['__proto__', 'm']]);
  });

  it('keeps at most maxInfos in memory, dropping the least recently searched experiment, never the one searched', async () => {
    // Prepare: three experiments of 2, 3 and 4 traces
    const db = await freshTable(engine);
    const traces = createTraceRepository(db, {});
    for (const [experimentId, count] of [['a', 2], ['b', 3], ['c', 4]] as const) {
      for (let i = 0; i < count; i++) await traces.putInfo(infoOf(experimentId, i), 'spans');
    }
    const index = createTraceSearchIndex(db, { maxInfos: 6 });

    // Act
    const sizes = [(await index.infosOf('a')).length, (await index.infosOf('b')).length];
    const heldBefore = [...index.heldInfos()];
    const c = await index.infosOf('c');
    const heldAfterC = [...index.heldInfos()];
    const a = await index.infosOf('a');

    // Assess
    expect(sizes).toEqual([2, 3]);
    expect(heldBefore).toEqual([['a', 2], ['b', 3]]);
    expect(c).toHaveLength(4);
    expect(heldAfterC).toEqual([['c', 4]]);
    expect(a).toHaveLength(2);
    expect([...index.heldInfos()]).toEqual([['c', 4], ['a', 2]]);
  });

  it('under npm start, the local feed folds an OTLP-like burst of new traces into the snapshot without any search', async () => {
    // Prepare
    const db = await freshTable(engine);
    const feed = localSnapshotFeed(db, TRACE_SNAPSHOT_KIND, { dueAt: 10, delayMs: 50 });
    const traces = createTraceRepository(db, {}, { onTraceMarked: feed.written });

    // Act: 30 new traces, as exports create them
    const infos = Array.from({ length: 30 }, (_, i) => infoOf('9', 1_000 + i, { 'mlflow.traceName': 'agent' }));
    for (const info of infos) await traces.putInfo(info, 'spans');
    // Looks come every 50 ms and fold marks in once 10 are pending: whatever the pace of the writes, the end
    // state is a snapshot holding all but fewer than 10 of the traces, whose marks remain.
    const settled = await eventually(
      async () => ({ head: await readSnapshotHead(db, TRACE_SNAPSHOT_KIND, '9'), marks: (await readDirtyMarks(db, TRACE_SNAPSHOT_KIND, '9')).size }),
      ({ head, marks }) => head !== undefined && marks < 10 && head.entries + marks === 30,
    );

    // Assess
    expect(settled.head?.entries).toBeGreaterThan(20);
    expect(settled.marks).toBeLessThan(10);
    expect(idsOf(await createTraceSearchIndex(db).infosOf('9'))).toEqual(idsOf(infos));
  });
});
