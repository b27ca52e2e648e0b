import { randomBytes, randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createAssessmentRepository } from '../../../shared/data/assessments/repository.js';
import { createDynamoClient } from '../../../shared/data/dynamo-client.js';
import { ensureTable } from '../../../shared/data/ensure-table.js';
import { compactSnapshot } from '../../../shared/data/snapshots/snapshot-compactor.js';
import { createTraceRepository } from '../../../shared/data/traces/repository.js';
import { createTraceSearchIndex } from '../../../shared/data/traces/search-index.js';
import { TRACE_SNAPSHOT_KIND } from '../../../shared/data/traces/search-kind.js';
import type { Span, TraceInfo, TraceState } from '../../../shared/domain/genai/entities.js';
import { searchTraces, type TraceSearchDeps } from '../../../shared/domain/genai/trace-search/search.js';
import { seededRandom } from '../../support/seeded-random.js';
import { endpointOf, ENGINES } from '../../support/test-api.js';

const EXPERIMENT = '21';
const STATES: TraceState[] = ['OK', 'ERROR', 'IN_PROGRESS'];

/** Every page of a search, 37 traces at a time: the ids in the order answered. */
const allPages = async (deps: TraceSearchDeps, filter: string | undefined, orderBy: string[]): Promise<string[]> => {
  const ids: string[] = [];
  let pageToken: string | undefined;
  for (let page = 0; page < 100; page++) {
    const answer = await searchTraces(deps, { experimentIds: [EXPERIMENT], filter, orderBy, maxResults: 37, ...(pageToken ? { pageToken } : {}) }, 'traces/search');
    ids.push(...answer.traces.map((info) => info.traceId));
    pageToken = answer.nextPageToken;
    if (!pageToken) return ids;
  }
  throw new Error('more than 100 pages');
};

const SEARCHES: { filter?: string; orderBy: string[] }[] = [
  { orderBy: [] },
  { filter: "status = 'ERROR'", orderBy: [] },
  { filter: "tag.customer = 'c3'", orderBy: [] },
  { filter: "tag.customer != 'c3' AND metadata.user LIKE 'u1%'", orderBy: ['timestamp_ms ASC'] },
  { filter: "run_id = 'run4'", orderBy: [] },
  { filter: 'execution_time_ms > 500', orderBy: ['execution_time DESC'] },
  { orderBy: ['execution_time ASC'] },
  { orderBy: ['tag.customer DESC', 'timestamp_ms ASC'] },
  { orderBy: ['metadata.user ASC'] },
  { orderBy: ['status', 'request_id DESC'] },
  { filter: "span.name = 'retrieve'", orderBy: [] },
  { filter: "span.name = 'retrieve' AND status = 'OK'", orderBy: ['execution_time DESC'] },
  { filter: `timestamp_ms >= ${1_000 + 60 * 1000} AND timestamp_ms < ${1_000 + 200 * 1000}`, orderBy: ['trace.name'] },
];

describe.each(ENGINES)('trace search over the in-memory index answers what reading the time index does (%s)', (engine) => {
  it('pages every filter and order alike, snapshot or not, with traces sharing request times, durations and tags', async () => {
    // Prepare: 240 traces, many sharing a millisecond, a duration or a tag value; a third with spans
    const db = { client: createDynamoClient({ endpoint: endpointOf(engine) }), tableName: `cairn-trace-paths-${randomUUID()}` };
    await ensureTable(db);
    const traces = createTraceRepository(db, {});
    const random = seededRandom(5);
    const infos: TraceInfo[] = Array.from({ length: 240 }, (_, i) => ({
      traceId: `tr-${randomBytes(16).toString('hex')}`,
      experimentId: EXPERIMENT,
      requestTime: 1_000 + Math.floor(i / 3) * 1000,
      ...(i % 7 === 0 ? {} : { executionDuration: Math.floor(random() * 10) * 100 }),
      state: STATES[Math.floor(random() * 3)] as TraceState,
      metadata: { user: `u${i % 13}`, ...(i % 9 === 0 ? { 'mlflow.sourceRun': `run${i % 5}` } : {}) },
      tags: { ...(i % 4 === 0 ? {} : { customer: `c${i % 6}` }), 'mlflow.traceName': `agent-${i % 5}` },
    }));
    for (const info of infos) await traces.putInfo(info, 'spans');
    await traces.linkToRun(infos.slice(0, 5).map((info) => info.traceId), 'run4');
    const spanOf = (info: TraceInfo, name: string): Span => ({
      traceId: info.traceId,
      otelTraceId: info.traceId.slice(3),
      spanId: randomBytes(8).toString('hex'),
      name,
      startTimeUnixNano: `${info.requestTime}000000`,
      endTimeUnixNano: `${info.requestTime + 1}000000`,
      status: { code: 'OK', message: '' },
      attributes: {},
      events: [],
    });
    for (const [i, info] of infos.entries()) if (i % 3 === 0) await traces.putSpans(info.traceId, EXPERIMENT, [spanOf(info, i % 2 === 0 ? 'retrieve' : 'generate')]);
    const assessments = createAssessmentRepository(db);
    const byListing: TraceSearchDeps = { traces, assessments };
    const indexed = (): TraceSearchDeps => ({ traces, assessments, traceIndex: createTraceSearchIndex(db) });

    // Act
    const expected = await Promise.all(SEARCHES.map((s) => allPages(byListing, s.filter, s.orderBy)));
    const withoutSnapshot = await Promise.all(SEARCHES.map((s) => allPages(indexed(), s.filter, s.orderBy)));
    await compactSnapshot(db, TRACE_SNAPSHOT_KIND, EXPERIMENT);
    const withSnapshot = await Promise.all(SEARCHES.map((s) => allPages(indexed(), s.filter, s.orderBy)));

    // Assess
    expect(expected.map((ids) => ids.length)).not.toContain(0);
    expect(expected[0]).toHaveLength(240);
    expect(withoutSnapshot).toEqual(expected);
    expect(withSnapshot).toEqual(expected);
  });
});
