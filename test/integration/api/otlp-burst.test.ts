import { describe, expect, it } from 'vitest';
import type { TraceInfo } from '../../../shared/domain/genai/entities.js';
import { createTestApi, ENGINES, type TestApi } from '../../support/test-api.js';
import { serveOverHttp, tracerExportingTo, under } from './otlp-support.js';

const TRACES = 1000;
const SPANS_PER_TRACE = 50;

const allInfos = async (api: TestApi, experimentId: string): Promise<TraceInfo[]> => {
  const infos: TraceInfo[] = [];
  let cursor: string | undefined;
  do {
    const page = await api.deps.traces!.listByExperiment(experimentId, { limit: 500, ...(cursor ? { cursor } : {}) });
    infos.push(...page.infos);
    cursor = page.cursor;
  } while (cursor);
  return infos;
};

const spanCounts = async (api: TestApi, traceIds: string[]): Promise<number[]> => {
  const counts: number[] = [];
  for (let offset = 0; offset < traceIds.length; offset += 50) {
    const slice = traceIds.slice(offset, offset + 50);
    counts.push(...(await Promise.all(slice.map(async (id) => (await api.deps.traces!.getSpans(id)).length))));
  }
  return counts;
};

describe.each(ENGINES)('OTLP burst (%s)', (engine) => {
  it(`ingests ${TRACES} traces of ${SPANS_PER_TRACE} spans from a batching exporter without losing a span, then deletes by age`, async () => {
    // Prepare
    const api = await createTestApi(engine);
    const experimentId = (await api.call('POST', '/api/2.0/mlflow/experiments/create', { name: 'burst' })).body.experiment_id as string;
    const server = await serveOverHttp(api);
    const { tracer, provider } = tracerExportingTo(server.url, experimentId, {
      encoding: 'protobuf',
      gzip: true,
      maxQueueSize: TRACES * SPANS_PER_TRACE,
      maxExportBatchSize: 1000,
    });

    // Act: every trace a root with 49 children, as an agent with its tool and LLM calls.
    const started = performance.now();
    const traceIds: string[] = [];
    for (let t = 0; t < TRACES; t++) {
      const root = tracer.startSpan(`request-${t}`, { attributes: { 'mlflow.spanInputs': JSON.stringify({ n: t }) } });
      for (let s = 1; s < SPANS_PER_TRACE; s++) {
        const child = tracer.startSpan(`step-${s}`, { attributes: { step: s, 'mlflow.spanType': '"TOOL"' } }, under(root));
        child.end();
      }
      root.end();
      traceIds.push(`tr-${root.spanContext().traceId}`);
    }
    await provider.forceFlush();
    const seconds = (performance.now() - started) / 1000;
    await provider.shutdown();
    await server.close();
    const infos = await allInfos(api, experimentId);
    const counts = await spanCounts(api, traceIds);
    const deleted = await api.call('POST', '/api/2.0/mlflow/traces/delete-traces', {
      experiment_id: experimentId,
      max_timestamp_millis: Date.now(),
      max_traces: 300,
    });
    const left = await allInfos(api, experimentId);

    // Assess
    const spans = counts.reduce((sum, count) => sum + count, 0);
    console.log(
      `[otlp burst, ${engine}] ${spans} spans in ${TRACES} traces ingested in ${seconds.toFixed(1)} s: ` +
        `${Math.round(spans / seconds)} spans/s, ${Math.round(TRACES / seconds)} traces/s (exporter to stored, one process)`,
    );
    expect(spans).toBe(TRACES * SPANS_PER_TRACE);
    expect(counts.every((count) => count === SPANS_PER_TRACE)).toBe(true);
    expect(new Set(infos.map((info) => info.traceId))).toEqual(new Set(traceIds));
    expect(infos.every((info) => info.state === 'OK')).toBe(true);
    expect(deleted.body).toEqual({ traces_deleted: 300 });
    // The oldest 300 went, and the listing answers the rest newest first.
    const oldest = [...infos].sort((a, b) => a.requestTime - b.requestTime || (a.traceId < b.traceId ? -1 : 1));
    expect(new Set(left.map((info) => info.traceId))).toEqual(new Set(oldest.slice(300).map((info) => info.traceId)));
    expect(left.map((info) => info.requestTime)).toEqual([...left.map((info) => info.requestTime)].sort((a, b) => b - a));
  });
});
