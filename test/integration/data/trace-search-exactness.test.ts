import { randomBytes, randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { createApi } from '../../../functions/api/create-api.js';
import { createTrackingDeps } from '../../../shared/config/dependencies.js';
import { createDynamoClient } from '../../../shared/data/dynamo-client.js';
import { ensureTable } from '../../../shared/data/ensure-table.js';
import { compactSnapshot } from '../../../shared/data/snapshots/snapshot-compactor.js';
import { createTraceRepository } from '../../../shared/data/traces/repository.js';
import { createTraceSearchIndex } from '../../../shared/data/traces/search-index.js';
import { TRACE_SNAPSHOT_KIND } from '../../../shared/data/traces/search-kind.js';
import type { TraceInfo } from '../../../shared/domain/genai/entities.js';
import { ensureDefaultExperiment } from '../../../shared/domain/tracking/experiments.js';
import { slowWire } from '../../support/slow-wire.js';
import { endpointOf, ENGINES } from '../../support/test-api.js';
import { protobufRequest, protoSpan, wrapSpans } from '../api/otlp-support.js';

const M3 = '/api/3.0/mlflow';
const hex = (bytes: number) => randomBytes(bytes).toString('hex');
const compact = (db: { client: ReturnType<typeof createDynamoClient>; tableName: string }, experimentId: string) =>
  compactSnapshot(db, TRACE_SNAPSHOT_KIND, experimentId);

/** An app on its own client and dependencies (a process of its own); the stream, not this process, rebuilds. */
const appOn = (endpoint: string, tableName: string) => {
  const client = createDynamoClient({ endpoint });
  const deps = createTrackingDeps({ client, tableName, searchSnapshots: 'stream' });
  const app = createApi(deps);
  const call = async (method: string, path: string, body: unknown) => {
    const response = await app.request(path, { method, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    return { status: response.status, body: (await response.json()) as Record<string, any> };
  };
  return {
    deps,
    /** One trace through OTLP (`POST /v1/traces`), its root span named `name`. */
    export: async (traceHex: string, name: string, startMs: number) => {
      const startNs = BigInt(startMs) * 1_000_000n;
      const body = protobufRequest(wrapSpans([protoSpan(traceHex, hex(8), undefined, name, startNs, startNs + 5_000_000n)]));
      const response = await app.request('/v1/traces', {
        method: 'POST',
        headers: { 'content-type': 'application/x-protobuf', 'x-mlflow-experiment-id': '0' },
        body,
      });
      expect(response.status).toBe(200);
    },
    setTag: async (traceId: string, key: string, value: string) => {
      expect((await call('PATCH', `${M3}/traces/${traceId}/tags`, { key, value })).status).toBe(200);
    },
    /** Trace id -> tags of every trace a search with `filter` answers (slowest first: the in-memory path). */
    search: async (filter?: string): Promise<Map<string, Record<string, string>>> => {
      const answer = await call('POST', `${M3}/traces/search`, {
        locations: [{ type: 'MLFLOW_EXPERIMENT', mlflow_experiment: { experiment_id: '0' } }],
        order_by: ['execution_time DESC'],
        max_results: 500,
        ...(filter ? { filter } : {}),
      });
      expect(answer.status).toBe(200);
      return new Map((answer.body.traces ?? []).map((t: { trace_id: string; tags?: Record<string, string> }) => [t.trace_id, t.tags ?? {}]));
    },
    deleteTraces: async (body: Record<string, unknown>) => (await call('POST', `${M3}/traces/delete-traces`, { experiment_id: '0', ...body })).body,
  };
};

const infoOf = (traceId: string, experimentId: string, requestTime: number): TraceInfo => ({
  traceId,
  experimentId,
  requestTime,
  executionDuration: 5,
  state: 'OK',
  metadata: {},
  tags: {},
});

describe.each(ENGINES)('trace search sees every acknowledged write (%s)', (engine) => {
  it('a tag set and an OTLP export held 1.5 s on the wire while a rebuild publishes are seen by the next search, warm and cold', async () => {
    // Prepare: a searching process with a warm index and a snapshot, and a writing process behind a slow wire
    const tableName = `cairn-trace-exact-${randomUUID()}`;
    const db = { client: createDynamoClient({ endpoint: endpointOf(engine) }), tableName };
    await ensureTable(db);
    const wire = await slowWire(endpointOf(engine));
    const writer = appOn(wire.endpoint, tableName);
    const reader = appOn(endpointOf(engine), tableName);
    await ensureDefaultExperiment(reader.deps);
    const traces = [hex(16), hex(16), hex(16)];
    for (const [i, traceHex] of traces.entries()) await writer.export(traceHex, `t${i}`, Date.now() - 60_000 + i);
    const tagged = `tr-${traces[0]}`;
    const exported = hex(16);
    expect((await reader.search()).size).toBe(3);
    await compact(db, '0');

    // Act: both writes take 1.5 s to land; meanwhile a search refreshes the index and a rebuild publishes
    wire.delay.ms = 1500;
    const slow = Promise.all([writer.setTag(tagged, 'late', 'yes'), writer.export(exported, 'late-export', Date.now() - 3_600_000)]);
    await sleep(200);
    const during = await reader.search();
    const rebuilt = await compact(db, '0');
    await slow;
    const warm = await reader.search();
    const warmFiltered = await reader.search("tag.late = 'yes'");
    const cold = await appOn(endpointOf(engine), tableName).search();
    await compact(db, '0');
    const afterRebuild = await appOn(endpointOf(engine), tableName).search("tag.late = 'yes'");
    wire.close();

    // Assess
    expect(during.get(tagged)?.late).toBeUndefined();
    expect(during.has(`tr-${exported}`)).toBe(false);
    expect(rebuilt.published).toBe(true);
    expect(warm.get(tagged)?.late).toBe('yes');
    expect(warm.has(`tr-${exported}`)).toBe(true);
    expect([...warmFiltered.keys()]).toEqual([tagged]);
    expect(cold.get(tagged)?.late).toBe('yes');
    expect(cold.has(`tr-${exported}`)).toBe(true);
    expect([...afterRebuild.keys()]).toEqual([tagged]);
  });

  it('writers, deleters, rebuilds and two searching processes at once: each search holds every write acknowledged before it began', async () => {
    // Prepare
    const tableName = `cairn-trace-exact-${randomUUID()}`;
    const db = { client: createDynamoClient({ endpoint: endpointOf(engine) }), tableName };
    await ensureTable(db);
    const experimentId = '12';
    const repository = createTraceRepository(db, {});
    const traceIds = Array.from({ length: 6 }, () => `tr-${hex(16)}`);
    for (const [i, traceId] of traceIds.entries()) await repository.putInfo(infoOf(traceId, experimentId, 1_000 + i), 'spans');
    const doomed = Array.from({ length: 6 }, () => `tr-${hex(16)}`);
    for (const [i, traceId] of doomed.entries()) await repository.putInfo(infoOf(traceId, experimentId, 100 + i), 'spans');
    const tagsAcknowledged = new Map(traceIds.map((traceId) => [traceId, 0]));
    const created = new Set<string>();
    const deleted = new Set<string>();
    const indexes = [createTraceSearchIndex(db), createTraceSearchIndex(db)];
    let writing = true;
    const violations: string[] = [];
    let searches = 0;

    // Act: tag writers, an exporter of new traces, a deleter, a rebuild loop and two processes searching
    const tagWriters = traceIds.map(async (traceId) => {
      for (let i = 0; i < 20; i++) {
        await repository.setTag(traceId, `k${i}`, String(i));
        tagsAcknowledged.set(traceId, i + 1);
      }
    });
    const exporter = (async () => {
      for (let i = 0; i < 20; i++) {
        const traceId = `tr-${hex(16)}`;
        await repository.putInfo(infoOf(traceId, experimentId, Date.now() - (i % 2) * 3_600_000), 'spans');
        created.add(traceId);
      }
    })();
    const deleter = (async () => {
      // By ids, and by age (the oldest: every doomed trace up to this one, never the others)
      for (const [i, traceId] of doomed.entries()) {
        await repository.deleteTraces(experimentId, i % 2 === 0 ? { traceIds: [traceId] } : { maxTimestampMillis: 100 + i });
        for (const gone of doomed.slice(0, i + 1)) deleted.add(gone);
      }
    })();
    const rebuilds = (async () => {
      while (writing) await compact(db, experimentId).catch((error: unknown) => violations.push(`rebuild failed: ${String(error)}`));
    })();
    const searchers = indexes.map(async (index) => {
      while (writing) {
        const tags = new Map(tagsAcknowledged);
        const mustExist = [...created];
        const mustBeGone = [...deleted];
        const seen = new Map((await index.infosOf(experimentId)).map((info) => [info.traceId, Object.keys(info.tags).length]));
        searches++;
        for (const [traceId, count] of tags) if ((seen.get(traceId) ?? 0) < count) violations.push(`${traceId}: ${seen.get(traceId) ?? 0} tags seen, ${count} acknowledged`);
        for (const traceId of mustExist) if (!seen.has(traceId)) violations.push(`${traceId}: exported, not seen`);
        for (const traceId of mustBeGone) if (seen.has(traceId)) violations.push(`${traceId}: deleted, still seen`);
      }
    });
    await Promise.all([...tagWriters, exporter, deleter]);
    writing = false;
    await Promise.all([rebuilds, ...searchers]);
    await compact(db, experimentId);
    const final = await createTraceSearchIndex(db).infosOf(experimentId);

    // Assess
    expect(violations).toEqual([]);
    expect(searches).toBeGreaterThan(2);
    expect(final.map((info) => info.traceId).sort()).toEqual([...traceIds, ...created].sort());
    expect(final.filter((info) => traceIds.includes(info.traceId)).map((info) => Object.keys(info.tags).length)).toEqual(traceIds.map(() => 20));
  });
});
