import { beforeAll, describe, expect, it } from 'vitest';
import type { Span } from '../../../shared/domain/genai/entities.js';
import { createTestApi, ENGINES, type TestApi } from '../../support/test-api.js';
import { createExperiment, idsOf, searchV3, startTrace, V2, V3 } from './trace-search-support.js';

/** MLflow's `store_with_traces` (test_sqlalchemy_store_traces.py), started through StartTraceV3. */
const seedMlflowFixture = async (api: TestApi) => {
  const exp1 = await createExperiment(api, 'exp1');
  const exp2 = await createExperiment(api, 'exp2');
  await startTrace(api, { id: 'tr-0', experimentId: exp2, time: 0, duration: 6, tags: { 'mlflow.traceName': 'ddd' }, metadata: { 'mlflow.sourceRun': 'run0' } });
  await startTrace(api, {
    id: 'tr-1',
    experimentId: exp2,
    time: 1,
    duration: 2,
    state: 'ERROR',
    tags: { 'mlflow.traceName': 'aaa', fruit: 'apple', color: 'red' },
    metadata: { 'mlflow.sourceRun': 'run1' },
  });
  await startTrace(api, {
    id: 'tr-2',
    experimentId: exp1,
    time: 2,
    duration: 4,
    state: 'STATE_UNSPECIFIED',
    tags: { 'mlflow.traceName': 'bbb', fruit: 'apple', color: 'green' },
  });
  await startTrace(api, { id: 'tr-3', experimentId: exp1, time: 3, duration: 10, tags: { 'mlflow.traceName': 'ccc', fruit: 'orange' } });
  await startTrace(api, { id: 'tr-4', experimentId: exp1, time: 4, duration: 10, tags: { 'mlflow.traceName': 'ddd', color: 'blue' } });
  return [exp1, exp2];
};

const aSpan = (traceId: string, spanId: string, name: string, type: string, status: Span['status']['code'], attributes: Record<string, unknown>): Span => ({
  traceId,
  otelTraceId: '0'.repeat(31) + spanId.slice(-1),
  spanId,
  name,
  startTimeUnixNano: '1000000000',
  endTimeUnixNano: '2000000000',
  status: { code: status, message: '' },
  attributes: {
    'mlflow.traceRequestId': JSON.stringify(traceId),
    'mlflow.spanType': JSON.stringify(type),
    ...Object.fromEntries(Object.entries(attributes).map(([k, v]) => [k, JSON.stringify(v)])),
  },
  events: [],
});

describe.each(ENGINES)('trace search through the API (%s)', (engine) => {
  let api: TestApi;
  let experiments: string[];

  beforeAll(async () => {
    api = await createTestApi(engine);
    experiments = await seedMlflowFixture(api);
  });

  it.each([
    { filter: undefined, expected: ['tr-4', 'tr-3', 'tr-2', 'tr-1', 'tr-0'] },
    { filter: "name = 'aaa'", expected: ['tr-1'] },
    { filter: "status != 'OK'", expected: ['tr-2', 'tr-1'] },
    { filter: '`timestamp` >= 1 AND execution_time < 10', expected: ['tr-2', 'tr-1'] },
    { filter: "tags.fruit = 'apple' and tags.color != 'red'", expected: ['tr-2'] },
    { filter: "run_id = 'run0'", expected: ['tr-0'] },
    { filter: "metadata.mlflow.sourceRun != 'run0'", expected: ['tr-1'] },
    { filter: "trace.name ILIKE 'D%'", expected: ['tr-4', 'tr-0'] },
    { filter: "status IN ('OK', 'ERROR') AND timestamp_ms <= 3", expected: ['tr-3', 'tr-1', 'tr-0'] },
    // Names and values DynamoDB would refuse in an expression are checked here only:
    { filter: `tags.\`${'k'.repeat(300)}\` = 'x'`, expected: [] },
    { filter: `tags.fruit = '${'a'.repeat(2000)}'`, expected: [] },
    // Passed down to DynamoDB as filter expressions (pushdown.ts), and checked again here:
    { filter: "tags.fruit LIKE 'app%'", expected: ['tr-2', 'tr-1'] },
    { filter: "tags.fruit LIKE '%ang%'", expected: ['tr-3'] },
    { filter: "tags.fruit LIKE '%le'", expected: ['tr-2', 'tr-1'] },
    { filter: "tags.fruit LIKE 'a_ple' AND tags.color LIKE 'gre%'", expected: ['tr-2'] },
    { filter: 'execution_time_ms > 5 AND execution_time_ms <= 10', expected: ['tr-4', 'tr-3', 'tr-0'] },
    { filter: "request_id = 'tr-3' AND name LIKE 'c%'", expected: ['tr-3'] },
    { filter: "metadata.`mlflow.sourceRun` LIKE 'run%' AND name != 'aaa'", expected: ['tr-0'] },
  ])('SearchTracesV3 `$filter` answers $expected', async ({ filter, expected }) => {
    // Act
    const response = await searchV3(api, experiments, filter === undefined ? {} : { filter });

    // Assess
    expect(response.status).toBe(200);
    expect(idsOf(response.body)).toEqual(expected);
  });

  it.each([
    { orderBy: ['execution_time DESC', 'timestamp ASC'], expected: ['tr-3', 'tr-4', 'tr-0', 'tr-2', 'tr-1'] },
    { orderBy: ['status'], expected: ['tr-1', 'tr-4', 'tr-3', 'tr-0', 'tr-2'] },
    { orderBy: ['tag.fruit'], expected: ['tr-2', 'tr-1', 'tr-3', 'tr-4', 'tr-0'] },
    { orderBy: ['timestamp'], expected: ['tr-0', 'tr-1', 'tr-2', 'tr-3', 'tr-4'] },
  ])('SearchTracesV3 ordered by $orderBy answers $expected', async ({ orderBy, expected }) => {
    // Act
    const response = await searchV3(api, experiments, { order_by: orderBy });

    // Assess
    expect(idsOf(response.body)).toEqual(expected);
  });

  it('answers TraceInfoV3 as MLflow does, and the v2 list TraceInfo v2 (under /ajax-api too)', async () => {
    // Act
    const v3 = await searchV3(api, experiments, { filter: "name = 'aaa'" });
    const v2 = await api.call('GET', `${V2}/traces`, { experiment_ids: experiments, filter: "name = 'aaa'" });
    const ajax = await api.call('GET', `/ajax-api/2.0/mlflow/traces`, { experiment_ids: experiments, max_results: 2 });

    // Assess
    expect(v3.body.traces[0]).toMatchObject({
      trace_id: 'tr-1',
      trace_location: { type: 'MLFLOW_EXPERIMENT', mlflow_experiment: { experiment_id: experiments[1] } },
      request_time: '1970-01-01T00:00:00.001Z',
      execution_duration: '0.002s',
      state: 'ERROR',
      tags: { 'mlflow.traceName': 'aaa', fruit: 'apple', color: 'red' },
    });
    expect(v2.body.traces).toEqual([
      expect.objectContaining({ request_id: 'tr-1', experiment_id: experiments[1], timestamp_ms: 1, execution_time_ms: 2, status: 'ERROR' }),
    ]);
    expect(ajax.body.traces.map((t: { request_id: string }) => t.request_id)).toEqual(['tr-4', 'tr-3']);
    expect(ajax.body.next_page_token).toEqual(expect.any(String));
  });

  it('the v2 list needs experiment_ids, as MLflow\'s handler does; SearchTracesV3 without locations answers nothing', async () => {
    // Act
    const v2 = await api.call('GET', `${V2}/traces`, { filter: "name = 'aaa'" });
    const v3 = await api.call('POST', `${V3}/traces/search`, {});

    // Assess
    expect([v2.status, v2.body.message]).toEqual([400, "Missing value for required parameter 'experiment_ids'. See the API docs for more information about request parameters."]);
    expect([v3.status, v3.body]).toEqual([200, {}]);
  });

  it.each([
    { body: { filter: "trace.status < 'OK'" }, message: /^Invalid comparator '<' not one of /u },
    { body: { filter: "name IN ('foo', 'bar')" }, message: /^Invalid comparator 'IN' not one of /u },
    { body: { filter: "foo.bar = 'baz'" }, message: /^Invalid entity type 'foo'\. Valid values are/u },
    { body: { filter: 'invalid' }, message: /^Invalid clause\(s\) in filter string: 'invalid'$/u },
    { body: { filter: `name LIKE '${'%a'.repeat(600)}'` }, message: /^Invalid LIKE pattern: it has 1200 characters/u },
    { body: { order_by: ['span.name'] }, message: /^Invalid order_by entity `span` with key `name`$/u },
    { body: { max_results: 501 }, message: /^Invalid value 501 for parameter 'max_results' supplied/u },
    { body: { page_token: 'not-a-token!' }, message: /^Invalid page token/u },
  ])('refuses $body with 400 INVALID_PARAMETER_VALUE', async ({ body, message }) => {
    // Act
    const response = await searchV3(api, experiments, body);

    // Assess
    expect(response.status).toBe(400);
    expect(response.body).toEqual({ error_code: 'INVALID_PARAMETER_VALUE', message: expect.stringMatching(message) });
  });

  it('filters on spans and full text, one span satisfying every span clause', async () => {
    // Prepare
    const [exp1] = experiments as [string];
    await api.deps.traces!.putSpans('tr-3', exp1, [aSpan('tr-3', '0000000000000001', 'retrieve', 'RETRIEVER', 'OK', { top_k: 5 })]);
    await api.deps.traces!.putSpans('tr-4', exp1, [
      aSpan('tr-4', '0000000000000002', 'generate', 'LLM', 'ERROR', { model: 'gpt-4' }),
      aSpan('tr-4', '0000000000000003', 'parse', 'PARSER', 'OK', {}),
    ]);

    // Act
    const results = await Promise.all(
      [
        'span.type = "LLM"',
        'span.type = "LLM" AND span.status = "OK"',
        'span.status = "OK"',
        'span.attributes.model LIKE "%gpt%"',
        "trace.text ILIKE '%RETRIEVE%'",
        "span.name IN ('parse', 'retrieve') AND status = 'OK'",
      ].map(async (filter) => idsOf((await searchV3(api, [exp1], { filter })).body)),
    );

    // Assess
    expect(results).toEqual([['tr-4'], [], ['tr-4', 'tr-3'], ['tr-4'], ['tr-3'], ['tr-4', 'tr-3']]);
  });

  it("run_id finds traces logged in the run and traces linked to it (link-to-run)", async () => {
    // Prepare
    const [exp1] = experiments as [string];
    const run = (await api.call('POST', `${V2}/runs/create`, { experiment_id: exp1, start_time: 1 })).body.run.info.run_id as string;
    const linked = await api.call('POST', `${V2}/traces/link-to-run`, { trace_ids: ['tr-2', 'tr-3'], run_id: run });

    // Act
    const byRun = await searchV3(api, experiments, { filter: `run_id = '${run}'` });
    const byRunAndName = await searchV3(api, experiments, { filter: `run_id = '${run}' AND name = 'ccc'` });
    const bySourceRun = await searchV3(api, experiments, { filter: `metadata.mlflow.sourceRun = '${run}'` });

    // Assess
    expect(linked.status).toBe(200);
    expect(idsOf(byRun.body)).toEqual(['tr-3', 'tr-2']);
    expect(idsOf(byRunAndName.body)).toEqual(['tr-3']);
    expect(idsOf(bySourceRun.body)).toEqual([]);
  });

  it('calculate-filter-correlation counts as MLflow and answers NPMI', async () => {
    // Act
    const response = await api.call('POST', `${V3}/traces/calculate-filter-correlation`, {
      experiment_ids: experiments,
      filter_string1: "tag.fruit = 'apple'",
      filter_string2: "status != 'OK'",
    });
    const disjoint = await api.call('POST', `${V3}/traces/calculate-filter-correlation`, {
      experiment_ids: experiments,
      filter_string1: "tag.fruit = 'orange'",
      filter_string2: "status != 'OK'",
      base_filter: 'timestamp_ms >= 1',
    });
    const missing = await api.call('POST', `${V3}/traces/calculate-filter-correlation`, { experiment_ids: experiments, filter_string1: "status = 'OK'" });

    // Assess
    // Always together: NPMI 1 (up to rounding of the logarithms); with Jeffreys' prior, 0.6458 (MLflow's arithmetic).
    expect(response.body.npmi).toBeCloseTo(1, 12);
    expect(response.body.npmi_smoothed).toBeCloseTo(0.6458467, 6);
    expect(response.body).toEqual({
      npmi: expect.any(Number),
      npmi_smoothed: expect.any(Number),
      filter1_count: 2,
      filter2_count: 2,
      joint_count: 2,
      total_count: 5,
    });
    expect(disjoint.body).toMatchObject({ npmi: -1, filter1_count: 1, filter2_count: 2, joint_count: 0, total_count: 4 });
    expect(missing.status).toBe(400);
    expect(missing.body.message).toBe("Missing value for required parameter 'filter_string2'. See the API docs for more information about request parameters.");
  });
});
