import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createTestApi, ENGINES, type TestApi } from '../../support/test-api.js';

const M2 = '/api/2.0/mlflow';
const M3 = '/api/3.0/mlflow';

const newTraceId = () => `tr-${randomBytes(16).toString('hex')}`;

/** A TraceInfoV3 as MLflow 3's rest_store.start_trace sends it (message_to_json of StartTraceV3). */
const traceInfoV3 = (traceId: string, experimentId = '0', extra: Record<string, unknown> = {}) => ({
  trace_id: traceId,
  client_request_id: 'req-1',
  trace_location: { type: 'MLFLOW_EXPERIMENT', mlflow_experiment: { experiment_id: experimentId } },
  request_preview: '{"question": "why"}',
  response_preview: '"because"',
  request_time: '2025-03-04T05:06:07.890Z',
  execution_duration: '1.500s',
  state: 'OK',
  trace_metadata: { 'mlflow.trace_schema.version': '3', 'mlflow.user': 'alice' },
  tags: { 'mlflow.traceName': 'predict', team: 'ml' },
  ...extra,
});

const startV3 = (api: TestApi, info: Record<string, unknown>) => api.call('POST', `${M3}/traces`, { trace: { trace_info: info } });

describe.each(ENGINES)('trace REST API (%s)', (engine) => {
  it('starts a v3 trace as the MLflow client sends it and reads it back through v3 and v2', async () => {
    // Prepare
    const api = await createTestApi(engine);
    const traceId = newTraceId();

    // Act
    const started = await startV3(api, traceInfoV3(traceId));
    const v3 = await api.call('GET', `${M3}/traces/${traceId}`);
    const v2 = await api.call('GET', `${M2}/traces/${traceId}/info`);

    // Assess
    expect(started.status).toBe(200);
    const expected = {
      trace_id: traceId,
      client_request_id: 'req-1',
      trace_location: { type: 'MLFLOW_EXPERIMENT', mlflow_experiment: { experiment_id: '0' } },
      request_preview: '{"question": "why"}',
      response_preview: '"because"',
      request_time: '2025-03-04T05:06:07.890Z',
      execution_duration: '1.500s',
      state: 'OK',
      trace_metadata: { 'mlflow.trace_schema.version': '3', 'mlflow.user': 'alice' },
      tags: { 'mlflow.traceName': 'predict', team: 'ml', 'mlflow.artifactLocation': `mlflow-artifacts:/0/traces/${traceId}/artifacts` },
    };
    expect(started.body).toEqual({ trace: { trace_info: expected } });
    expect(v3.body).toEqual({ trace: { trace_info: expected } });
    expect(v2.body.trace_info).toMatchObject({
      request_id: traceId,
      experiment_id: '0',
      timestamp_ms: Date.parse('2025-03-04T05:06:07.890Z'),
      execution_time_ms: 1500,
      status: 'OK',
    });
    expect(v2.body.trace_info.tags).toContainEqual({ key: 'team', value: 'ml' });
    expect(v2.body.trace_info.request_metadata).toContainEqual({ key: 'mlflow.user', value: 'alice' });
  });

  it('starts and ends a v2 trace (the legacy client path) with a server-made id', async () => {
    // Prepare
    const api = await createTestApi(engine);

    // Act
    const started = await api.call('POST', `${M2}/traces`, {
      experiment_id: '0',
      timestamp_ms: 1_700_000_000_000,
      request_metadata: [{ key: 'mlflow.traceInputs', value: '{"x": 1}' }],
      tags: [{ key: 'mlflow.traceName', value: 'chain' }],
    });
    const requestId = started.body.trace_info.request_id as string;
    const ended = await api.call('PATCH', `${M2}/traces/${requestId}`, {
      timestamp_ms: 1_700_000_000_250,
      status: 'ERROR',
      request_metadata: [{ key: 'mlflow.traceOutputs', value: '{"y": 2}' }],
      tags: [{ key: 'extra', value: 'yes' }],
    });

    // Assess
    expect(requestId).toMatch(/^[0-9a-f]{32}$/);
    expect(started.body.trace_info).toMatchObject({ experiment_id: '0', timestamp_ms: 1_700_000_000_000, execution_time_ms: 0, status: 'IN_PROGRESS' });
    expect(started.body.trace_info.tags).toContainEqual({ key: 'mlflow.artifactLocation', value: `mlflow-artifacts:/0/traces/${requestId}/artifacts` });
    expect(ended.body.trace_info).toMatchObject({ request_id: requestId, execution_time_ms: 250, status: 'ERROR' });
    expect(ended.body.trace_info.request_metadata).toEqual(
      expect.arrayContaining([{ key: 'mlflow.traceInputs', value: '{"x": 1}' }, { key: 'mlflow.traceOutputs', value: '{"y": 2}' }]),
    );
    expect(ended.body.trace_info.tags).toContainEqual({ key: 'extra', value: 'yes' });
  });

  it('sets and deletes tags through v2 and v3 routes, with MLflow answers for what is missing', async () => {
    // Prepare
    const api = await createTestApi(engine);
    const traceId = newTraceId();
    await startV3(api, traceInfoV3(traceId));

    // Act
    const setV2 = await api.call('PATCH', `${M2}/traces/${traceId}/tags`, { key: 'k2', value: 'v2' });
    const setV3 = await api.call('PATCH', `${M3}/traces/${traceId}/tags`, { key: 'k3', value: 'x'.repeat(9000) });
    const deleted = await api.call('DELETE', `${M2}/traces/${traceId}/tags`, { key: 'k2' });
    const missingTag = await api.call('DELETE', `${M3}/traces/${traceId}/tags`, { key: 'k2' });
    const missingTrace = await api.call('PATCH', `${M2}/traces/tr-missing/tags`, { key: 'a', value: 'b' });
    const info = (await api.call('GET', `${M3}/traces/${traceId}`)).body.trace.trace_info;

    // Assess
    expect([setV2.status, setV3.status, deleted.status]).toEqual([200, 200, 200]);
    expect(setV2.body).toEqual({});
    expect(info.tags.k2).toBeUndefined();
    expect(info.tags.k3).toHaveLength(8000);
    expect(missingTag.status).toBe(404);
    expect(missingTag.body).toEqual({
      error_code: 'RESOURCE_DOES_NOT_EXIST',
      message: `No trace tag with key 'k2' for trace with request_id '${traceId}'`,
    });
    expect(missingTrace.status).toBe(404);
    expect(missingTrace.body.message).toBe("Trace with request_id 'tr-missing' not found.");
  });

  it('refuses traces of missing or deleted experiments and bodies without a location', async () => {
    // Prepare
    const api = await createTestApi(engine);
    const experimentId = (await api.call('POST', `${M2}/experiments/create`, { name: 'gone' })).body.experiment_id as string;
    await api.call('POST', `${M2}/experiments/delete`, { experiment_id: experimentId });

    // Act
    const missing = await startV3(api, traceInfoV3(newTraceId(), '987654'));
    const deleted = await startV3(api, traceInfoV3(newTraceId(), experimentId));
    const noLocation = await startV3(api, { ...traceInfoV3(newTraceId()), trace_location: {} });
    const badTime = await startV3(api, { ...traceInfoV3(newTraceId()), request_time: 'yesterday' });
    const v2Missing = await api.call('GET', `${M2}/traces/tr-nothing/info`);

    // Assess
    expect(missing.status).toBe(404);
    expect(missing.body.error_code).toBe('RESOURCE_DOES_NOT_EXIST');
    expect(deleted.status).toBe(400);
    expect(deleted.body.message).toBe(`The experiment ${experimentId} must be in the 'active' state. Current state is deleted.`);
    expect(noLocation.status).toBe(400);
    expect(badTime.status).toBe(400);
    expect(badTime.body.error_code).toBe('INVALID_PARAMETER_VALUE');
    expect(v2Missing.status).toBe(404);
  });

  it('reads trace data the client uploaded as traces.json through the artifact proxy', async () => {
    // Prepare: a client that does not send spans starts the trace, then PUTs traces.json (MLflow's Span.to_dict).
    const api = await createTestApi(engine);
    const traceId = newTraceId();
    const otelTraceId = traceId.slice(3);
    const started = await startV3(api, traceInfoV3(traceId));
    const location = started.body.trace.trace_info.tags['mlflow.artifactLocation'] as string;
    const path = `${location.replace('mlflow-artifacts:/', '')}/traces.json`;
    const b64 = (hex: string) => Buffer.from(hex, 'hex').toString('base64');
    const data =
      '{"spans": [{"trace_id": "' + b64(otelTraceId) + '", "span_id": "' + b64('00000000000000aa') + '", "trace_state": "", ' +
      '"parent_span_id": "", "name": "predict", "start_time_unix_nano": 1741064767890123456, "end_time_unix_nano": 1741064769390123456, ' +
      '"attributes": {"mlflow.traceRequestId": "\\"' + traceId + '\\"", "mlflow.spanType": "\\"CHAIN\\"", "mlflow.spanInputs": "{\\"question\\": \\"why\\"}"}, ' +
      '"status": {"message": "", "code": "STATUS_CODE_OK"}, "events": []}]}';
    const put = await api.request(`/api/2.0/mlflow-artifacts/artifacts/${path}`, { method: 'PUT', body: data });

    // Act
    const trace = await api.call('GET', `${M3}/traces/get`, { trace_id: traceId });
    const artifact = await api.request(`/ajax-api/2.0/mlflow/get-trace-artifact?request_id=${traceId}`);
    const artifactText = await artifact.text();

    // Assess
    expect(put.status).toBe(200);
    expect(trace.status).toBe(200);
    expect(trace.body.trace.spans).toHaveLength(1);
    expect(trace.body.trace.spans[0]).toMatchObject({
      trace_id: b64(otelTraceId),
      span_id: b64('00000000000000aa'),
      name: 'predict',
      status: { code: 'STATUS_CODE_OK' },
    });
    expect(trace.body.trace.spans[0].attributes).toContainEqual({ key: 'mlflow.spanType', value: { string_value: 'CHAIN' } });
    expect(artifact.status).toBe(200);
    expect(artifact.headers.get('content-disposition')).toBe('attachment; filename=traces.json');
    // The nanoseconds keep all 19 digits.
    expect(artifactText).toContain('1741064767890123456');
  });

  it('deletes traces by ids and by age (oldest first, at most max_traces), with MLflow refusals', async () => {
    // Prepare
    const api = await createTestApi(engine);
    const ids = Array.from({ length: 5 }, newTraceId);
    for (const [index, id] of ids.entries()) {
      await startV3(api, traceInfoV3(id, '0', { request_time: new Date(1_700_000_000_000 + index * 1000).toISOString() }));
    }

    // Act
    const byIds = await api.call('POST', `${M2}/traces/delete-traces`, { experiment_id: '0', request_ids: [ids[4], 'tr-none'] });
    const byAge = await api.call('POST', `${M3}/traces/delete-traces`, {
      experiment_id: '0',
      max_timestamp_millis: 1_700_000_002_000,
      max_traces: 2,
    });
    const neither = await api.call('POST', `${M2}/traces/delete-traces`, { experiment_id: '0' });
    const both = await api.call('POST', `${M2}/traces/delete-traces`, { experiment_id: '0', max_timestamp_millis: 1, request_ids: [ids[0]] });
    const left = await Promise.all(ids.map(async (id) => (await api.call('GET', `${M3}/traces/${id}`)).status));

    // Assess
    expect(byIds.body).toEqual({ traces_deleted: 1 });
    expect(byAge.body).toEqual({ traces_deleted: 2 });
    expect(left).toEqual([404, 404, 200, 200, 404]);
    expect(neither.status).toBe(400);
    expect(both.status).toBe(400);
  });

  it('links traces to a run and batch-gets traces in the order asked', async () => {
    // Prepare
    const api = await createTestApi(engine);
    const [a, b] = [newTraceId(), newTraceId()];
    await startV3(api, traceInfoV3(a));
    await startV3(api, traceInfoV3(b));
    const runId = (await api.call('POST', `${M2}/runs/create`, { experiment_id: '0' })).body.run.info.run_id as string;

    // Act
    const linked = await api.call('POST', `${M2}/traces/link-to-run`, { trace_ids: [a, b], run_id: runId });
    const again = await api.call('POST', `${M2}/traces/link-to-run`, { trace_ids: [a], run_id: runId });
    const noRun = await api.call('POST', `${M2}/traces/link-to-run`, { trace_ids: [a], run_id: 'f'.repeat(32) });
    const batch = await api.request(`${M3}/traces/batchGet?trace_ids=${b}&trace_ids=tr-none&trace_ids=${a}`);

    // Assess
    expect([linked.status, again.status]).toEqual([200, 200]);
    expect(noRun.status).toBe(404);
    expect((await api.deps.traces?.getInfo(a))?.linkedRunIds).toEqual([runId]);
    const traces = ((await batch.json()) as { traces: { trace_info: { trace_id: string } }[] }).traces;
    expect(traces.map((t) => t.trace_info.trace_id)).toEqual([b, a]);
  });
});
