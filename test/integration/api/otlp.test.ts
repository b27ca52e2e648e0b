import { randomBytes } from 'node:crypto';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { deflateSync, gzipSync } from 'node:zlib';
import { SpanStatusCode } from '@opentelemetry/api';
import { describe, expect, it } from 'vitest';
import { createTestApi, ENGINES, type TestApi } from '../../support/test-api.js';
import { protobufRequest, protoSpan, serveOverHttp, tracerExportingTo, under, wrapSpans } from './otlp-support.js';

const M3 = '/api/3.0/mlflow';
const hex = (bytes: number) => randomBytes(bytes).toString('hex');

const postOtlp = (api: TestApi, body: Uint8Array | string, headers: Record<string, string>) =>
  api.request('/v1/traces', { method: 'POST', headers: { 'x-mlflow-experiment-id': '0', ...headers }, body });

const getTrace = async (api: TestApi, traceId: string) => (await api.call('GET', `${M3}/traces/get`, { trace_id: traceId })).body;

describe.each(ENGINES)('OTLP span ingestion (%s)', (engine) => {
  it.each([
    ['protobuf', true],
    ['json', false],
  ] as const)('takes a trace from OpenTelemetry’s %s exporter (gzip: %s) and serves it as MLflow does', async (encoding, gzip) => {
    // Prepare
    const api = await createTestApi(engine);
    const server = await serveOverHttp(api);
    const { tracer, provider } = tracerExportingTo(server.url, '0', { encoding, gzip });

    // Act
    const root = tracer.startSpan('agent');
    root.setAttribute('mlflow.spanInputs', '{"question": "why?"}');
    root.setAttribute('mlflow.spanOutputs', '"because"');
    const child = tracer.startSpan('llm', { attributes: { model: 'gpt', temperature: 0.5, tokens: 42, streamed: true, stops: ['a', 'b'] } }, under(root));
    child.addEvent('chunk', { index: 1 });
    child.setStatus({ code: SpanStatusCode.ERROR, message: 'rate limited' });
    child.end();
    const tool = tracer.startSpan('tool', {}, under(root));
    tool.end();
    root.end();
    await provider.forceFlush();
    await provider.shutdown();
    await server.close();
    const traceId = `tr-${root.spanContext().traceId}`;
    const trace = await getTrace(api, traceId);

    // Assess
    const info = trace.trace.trace_info;
    expect(info).toMatchObject({
      trace_id: traceId,
      trace_location: { type: 'MLFLOW_EXPERIMENT', mlflow_experiment: { experiment_id: '0' } },
      state: 'OK',
      request_preview: '{"question": "why?"}',
      response_preview: '"because"',
    });
    expect(info.tags).toMatchObject({
      'mlflow.traceName': 'agent',
      'mlflow.trace.spansLocation': 'TRACKING_STORE',
      'mlflow.artifactLocation': `mlflow-artifacts:/0/traces/${traceId}/artifacts`,
    });
    const spans = trace.trace.spans as { name: string; span_id: string; parent_span_id?: string; attributes: { key: string; value: object }[]; status: object; events?: object[] }[];
    expect(spans.map((s) => s.name).sort()).toEqual(['agent', 'llm', 'tool']);
    const rootSpan = spans.find((s) => s.name === 'agent');
    const llm = spans.find((s) => s.name === 'llm');
    expect(rootSpan?.parent_span_id).toBeUndefined();
    expect(llm?.parent_span_id).toBe(rootSpan?.span_id);
    expect(llm?.status).toEqual({ message: 'rate limited', code: 'STATUS_CODE_ERROR' });
    expect(llm?.attributes).toEqual(
      expect.arrayContaining([
        { key: 'mlflow.traceRequestId', value: { string_value: traceId } },
        { key: 'model', value: { string_value: 'gpt' } },
        { key: 'temperature', value: { double_value: 0.5 } },
        { key: 'tokens', value: { int_value: 42 } },
        { key: 'streamed', value: { bool_value: true } },
        { key: 'stops', value: { array_value: { values: [{ string_value: 'a' }, { string_value: 'b' }] } } },
      ]),
    );
    expect(llm?.events).toEqual([expect.objectContaining({ name: 'chunk', attributes: [{ key: 'index', value: { int_value: 1 } }] })]);
  });

  it('answers a protobuf export with an empty protobuf response, and a retried export stores nothing twice', async () => {
    // Prepare
    const api = await createTestApi(engine);
    const traceHex = hex(16);
    const rootId = hex(8);
    const start = 1_741_064_767_890_123_456n;
    const body = protobufRequest(
      wrapSpans([protoSpan(traceHex, rootId, undefined, 'root', start, start + 2_000_000_000n), protoSpan(traceHex, hex(8), rootId, 'child', start + 1n, start + 5n)]),
      { gzip: true },
    );
    const headers = { 'content-type': 'application/x-protobuf', 'content-encoding': 'gzip' };

    // Act
    const first = await postOtlp(api, body, headers);
    const firstBytes = new Uint8Array(await first.arrayBuffer());
    const again = await postOtlp(api, body, headers);
    const trace = await getTrace(api, `tr-${traceHex}`);
    const artifact = await (await api.request(`/ajax-api/2.0/mlflow/get-trace-artifact?request_id=tr-${traceHex}`)).text();

    // Assess
    expect([first.status, again.status]).toEqual([200, 200]);
    expect(first.headers.get('content-type')).toBe('application/x-protobuf');
    expect(firstBytes).toHaveLength(0);
    expect(trace.trace.spans).toHaveLength(2);
    expect(trace.trace.trace_info).toMatchObject({ request_time: '2025-03-04T05:06:07.890Z', execution_duration: '2s', state: 'OK' });
    const root = trace.trace.spans.find((s: { name: string }) => s.name === 'root');
    expect(root.attributes).toEqual(
      expect.arrayContaining([
        { key: 'mlflow.spanType', value: { string_value: 'LLM' } },
        { key: 'llm.tokens', value: { int_value: expect.any(Number) } },
      ]),
    );
    // traces.json as MLflow's client writes it: every digit of the nanoseconds and of the 64-bit attribute kept.
    expect(artifact).toContain('"start_time_unix_nano":1741064767890123456');
    expect(artifact).toContain('"llm.tokens":9007199254740993');
    expect(JSON.parse(artifact).spans).toHaveLength(2);
  });

  it('takes OTLP JSON made by hand (hex ids, camelCase, int64 as strings, kvlists) and deflate', async () => {
    // Prepare
    const api = await createTestApi(engine);
    const traceHex = hex(16);
    const request = {
      resourceSpans: [
        {
          resource: { attributes: [{ key: 'service.name', value: { stringValue: 'svc' } }] },
          scopeSpans: [
            {
              scope: { name: 'hand' },
              spans: [
                {
                  traceId: traceHex,
                  spanId: hex(8),
                  name: 'handmade',
                  kind: 1,
                  startTimeUnixNano: '1700000000000000000',
                  endTimeUnixNano: '1700000000500000000',
                  attributes: [{ key: 'cfg', value: { kvlistValue: { values: [{ key: 'depth', value: { intValue: '3' } }] } } }],
                  status: { code: 'STATUS_CODE_OK' },
                },
              ],
            },
          ],
        },
      ],
    };

    // Act
    const answer = await postOtlp(api, deflateSync(JSON.stringify(request)), { 'content-type': 'application/json', 'content-encoding': 'deflate' });
    const trace = await getTrace(api, `tr-${traceHex}`);

    // Assess
    expect(answer.status).toBe(200);
    expect(await answer.json()).toEqual({});
    expect(trace.trace.trace_info).toMatchObject({ state: 'OK', execution_duration: '0.500s', tags: expect.objectContaining({ 'mlflow.traceName': 'handmade' }) });
    expect(trace.trace.spans[0].attributes).toContainEqual({
      key: 'cfg',
      value: { kvlist_value: { values: [{ key: 'depth', value: { int_value: 3 } }] } },
    });
  });

  it('refuses malformed bodies with 400 in MLflow’s error form and stores nothing', async () => {
    // Prepare
    const api = await createTestApi(engine);
    const proto = { 'content-type': 'application/x-protobuf' };
    const json = { 'content-type': 'application/json' };
    const valid = protobufRequest(wrapSpans([protoSpan(hex(16), hex(8), undefined, 'x', 1n, 2n)]));
    const cases: [string, Uint8Array | string, Record<string, string>][] = [
      ['garbage protobuf', Buffer.from('this is not protobuf at all, not even close'), proto],
      ['truncated protobuf', valid.slice(0, valid.length - 5), proto],
      ['empty request', new Uint8Array(), proto],
      ['broken JSON', '{"resourceSpans": [', json],
      ['JSON of the wrong shape', '{"resourceSpans": [{"scopeSpans": [{"spans": [{"traceId": 5}]}]}]}', json],
      ['a short trace id', JSON.stringify({ resourceSpans: [{ scopeSpans: [{ spans: [{ traceId: 'abcd', spanId: hex(8) }] }] }] }), json],
      ['gzip that is not gzip', Buffer.from('plain bytes'), { ...proto, 'content-encoding': 'gzip' }],
      ['an unknown encoding', valid, { ...proto, 'content-encoding': 'br' }],
      ['another content type', valid, { 'content-type': 'text/plain' }],
      ['nesting too deep', `{"resourceSpans": ${'['.repeat(200)}${']'.repeat(200)}}`, json],
    ];

    // Act
    const answers = await Promise.all(
      cases.map(async ([name, body, headers]) => {
        const answer = await postOtlp(api, body, headers);
        return { name, status: answer.status, body: (await answer.json()) as { error_code: string; message: string } };
      }),
    );
    const noHeader = await api.request('/v1/traces', { method: 'POST', headers: proto, body: valid });
    const noExperiment = await postOtlp(api, valid, { ...proto, 'x-mlflow-experiment-id': '4242' });
    const stored = await api.deps.traces?.listByExperiment('0', { limit: 10 });

    // Assess
    for (const answer of answers) {
      expect(answer, answer.name).toMatchObject({ status: 400, body: { error_code: 'INVALID_PARAMETER_VALUE' } });
    }
    expect(answers[0]?.body.message).toBe('Invalid OpenTelemetry protobuf format');
    expect(answers[2]?.body.message).toBe('Invalid OpenTelemetry protobuf format - no spans found');
    expect(answers[6]?.body.message).toBe('Failed to decompress gzip payload');
    expect(answers[7]?.body.message).toBe('Unsupported Content-Encoding: br');
    expect(noHeader.status).toBe(400);
    expect(noExperiment.status).toBe(404);
    expect(stored?.infos).toEqual([]);
  });

  it('merges spans and StartTraceV3 in either order: the answer tells the client its spans are stored', async () => {
    // Prepare: MLflow 3.4+ clients log spans first, then start the trace; the async exporter may do it the other way.
    const api = await createTestApi(engine);
    const spansFirst = hex(16);
    const infoFirst = hex(16);
    const rootId = hex(8);
    const spansOf = (traceHex: string) =>
      protobufRequest(wrapSpans([protoSpan(traceHex, rootId, undefined, 'root', 1_700_000_000_000_000_000n, 1_700_000_001_000_000_000n)]));
    const start = (traceHex: string) =>
      api.call('POST', `${M3}/traces`, {
        trace: {
          trace_info: {
            trace_id: `tr-${traceHex}`,
            trace_location: { type: 'MLFLOW_EXPERIMENT', mlflow_experiment: { experiment_id: '0' } },
            request_time: '2023-11-14T22:13:20Z',
            execution_duration: '1s',
            state: 'OK',
            trace_metadata: { 'mlflow.trace.sizeStats': '{"num_spans": 1}' },
            tags: { 'mlflow.traceName': 'client-name' },
          },
        },
      });

    // Act
    await postOtlp(api, spansOf(spansFirst), { 'content-type': 'application/x-protobuf' });
    const afterSpans = await start(spansFirst);
    const beforeSpans = await start(infoFirst);
    await postOtlp(api, spansOf(infoFirst), { 'content-type': 'application/x-protobuf' });
    const later = await getTrace(api, `tr-${infoFirst}`);

    // Assess
    expect(afterSpans.body.trace.trace_info.tags).toMatchObject({ 'mlflow.trace.spansLocation': 'TRACKING_STORE', 'mlflow.traceName': 'client-name' });
    expect(beforeSpans.body.trace.trace_info.tags['mlflow.trace.spansLocation']).toBeUndefined();
    expect(later.trace.trace_info).toMatchObject({ state: 'OK', execution_duration: '1s', trace_metadata: { 'mlflow.trace.sizeStats': '{"num_spans": 1}' } });
    expect(later.trace.spans).toHaveLength(1);
  });

  it('refuses an export naming a trace of another experiment before writing any of its traces', async () => {
    // Prepare
    const api = await createTestApi(engine);
    const other = (await api.call('POST', '/api/2.0/mlflow/experiments/create', { name: 'other' })).body.experiment_id as string;
    const [kept, fresh] = [hex(16), hex(16)];
    const proto = { 'content-type': 'application/x-protobuf' };
    await postOtlp(api, protobufRequest(wrapSpans([protoSpan(kept, hex(8), undefined, 'a', 1n, 2n)])), proto);

    // Act
    const answer = await postOtlp(
      api,
      protobufRequest(wrapSpans([protoSpan(fresh, hex(8), undefined, 'b', 1n, 2n), protoSpan(kept, hex(8), undefined, 'c', 1n, 2n)])),
      { ...proto, 'x-mlflow-experiment-id': other },
    );

    // Assess
    expect(answer.status).toBe(400);
    expect(((await answer.json()) as { message: string }).message).toBe(`Trace tr-${kept} belongs to experiment 0, not ${other}.`);
    expect(await api.deps.traces?.getInfo(`tr-${fresh}`)).toBeUndefined();
    expect(await api.deps.traces?.getSpans(`tr-${kept}`)).toHaveLength(1);
  });

  it('keeps a span too large for an item in the artifact store and reads it back whole', async () => {
    // Prepare: 1 MB of incompressible text in one attribute.
    const api = await createTestApi(engine);
    const traceHex = hex(16);
    const big = randomBytes(768 * 1024).toString('base64');
    const span = { ...protoSpan(traceHex, hex(8), undefined, 'big', 1n, 2n), attributes: [{ key: 'mlflow.spanOutputs', value: { string_value: big } }] };

    // Act
    const answer = await postOtlp(api, gzipSync(protobufRequest(wrapSpans([span]))), {
      'content-type': 'application/x-protobuf',
      'content-encoding': 'gzip',
    });
    const trace = await getTrace(api, `tr-${traceHex}`);
    const payloads = join(api.artifactDir, 'artifacts', '0', 'traces', `tr-${traceHex}`, 'cairn-spans');
    const storedPayloads = await readdir(payloads);
    const deleted = await api.call('POST', `${M3}/traces/delete-traces`, { experiment_id: '0', request_ids: [`tr-${traceHex}`] });
    const payloadsAfter = await readdir(payloads).catch(() => []);

    // Assess
    expect(answer.status).toBe(200);
    expect(storedPayloads).toHaveLength(1);
    expect(payloadsAfter).toEqual([]);
    expect(trace.trace.spans[0].attributes).toContainEqual({ key: 'mlflow.spanOutputs', value: { string_value: big } });
    expect(deleted.body).toEqual({ traces_deleted: 1 });
  });
});
