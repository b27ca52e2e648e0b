import { describe, expect, it } from 'vitest';
import { parseTraceFilter } from '../../../../../shared/domain/genai/trace-search/index.js';
import { aTrace, mlflowFixture, search, viewsOf } from './builders.js';

describe('trace filter: attributes, tags and metadata (MLflow test_search_traces_with_filter)', () => {
  it.each([
    { filter: "name = 'aaa'", expected: ['tr-1'] },
    { filter: "name != 'aaa'", expected: ['tr-4', 'tr-3', 'tr-2', 'tr-0'] },
    { filter: "status = 'OK'", expected: ['tr-4', 'tr-3', 'tr-0'] },
    { filter: "status != 'OK'", expected: ['tr-2', 'tr-1'] },
    { filter: "attributes.status = 'OK'", expected: ['tr-4', 'tr-3', 'tr-0'] },
    { filter: "attributes.name != 'aaa'", expected: ['tr-4', 'tr-3', 'tr-2', 'tr-0'] },
    { filter: "trace.status = 'OK'", expected: ['tr-4', 'tr-3', 'tr-0'] },
    { filter: "trace.name != 'aaa'", expected: ['tr-4', 'tr-3', 'tr-2', 'tr-0'] },
    { filter: '`timestamp` >= 1 AND execution_time < 10', expected: ['tr-2', 'tr-1'] },
    { filter: "tag.fruit = 'apple'", expected: ['tr-2', 'tr-1'] },
    { filter: "tags.fruit = 'apple' and tags.color != 'red'", expected: ['tr-2'] },
    { filter: "run_id = 'run0'", expected: ['tr-0'] },
    { filter: "request_metadata.mlflow.sourceRun = 'run0'", expected: ['tr-0'] },
    { filter: "request_metadata.mlflow.sourceRun = 'run1'", expected: ['tr-1'] },
    { filter: "request_metadata.`mlflow.sourceRun` = 'run0'", expected: ['tr-0'] },
    { filter: "metadata.mlflow.sourceRun = 'run0'", expected: ['tr-0'] },
    { filter: "metadata.mlflow.sourceRun != 'run0'", expected: ['tr-1'] },
  ])('`$filter` keeps $expected', ({ filter, expected }) => {
    // Prepare
    const views = viewsOf(mlflowFixture());

    // Act
    const ids = search(views, filter);

    // Assess
    expect(ids).toEqual(expected);
  });

  it('an absent or blank filter keeps every trace', () => {
    // Prepare
    const views = viewsOf(mlflowFixture());

    // Act
    const all = [search(views), search(views, '   ')];

    // Assess
    expect(all).toEqual([
      ['tr-4', 'tr-3', 'tr-2', 'tr-1', 'tr-0'],
      ['tr-4', 'tr-3', 'tr-2', 'tr-1', 'tr-0'],
    ]);
  });

  it.each([
    { filter: "status IN ('OK', 'ERROR')", expected: ['tr-4', 'tr-3', 'tr-1', 'tr-0'] },
    { filter: "status NOT IN ('OK')", expected: ['tr-2', 'tr-1'] },
    { filter: "state = 'ERROR'", expected: ['tr-1'] },
    { filter: "status = 'TRACE_STATUS_UNSPECIFIED'", expected: ['tr-2'] },
    { filter: "request_id IN ('tr-1', 'tr-3')", expected: ['tr-3', 'tr-1'] },
    { filter: "trace_id = 'tr-4'", expected: ['tr-4'] },
    { filter: 'timestamp_ms > 1 AND timestamp_ms <= 3', expected: ['tr-3', 'tr-2'] },
    { filter: 'request_time = 4', expected: ['tr-4'] },
    { filter: 'end_time_ms = 14', expected: ['tr-4'] },
    { filter: 'execution_time_ms != 10', expected: ['tr-2', 'tr-1', 'tr-0'] },
    { filter: "trace.name LIKE 'd%'", expected: ['tr-4', 'tr-0'] },
    { filter: "tag.fruit ILIKE '%APP%'", expected: ['tr-2', 'tr-1'] },
    { filter: "metadata.mlflow.sourceRun LIKE 'run_'", expected: ['tr-1', 'tr-0'] },
  ])('`$filter` keeps $expected (Cairn cases)', ({ filter, expected }) => {
    // Prepare
    const views = viewsOf(mlflowFixture());

    // Act
    const ids = search(views, filter);

    // Assess
    expect(ids).toEqual(expected);
  });

  it('client_request_id compares as MLflow does, a missing one matching nothing (test_search_traces_with_client_request_id_filter)', () => {
    // Prepare
    const views = viewsOf([
      aTrace({ id: 'trace1', time: 3, clientRequestId: 'client-req-abc' }),
      aTrace({ id: 'trace2', time: 2, clientRequestId: 'client-req-xyz' }),
      aTrace({ id: 'trace3', time: 1 }),
    ]);

    // Act
    const results = [
      search(views, 'trace.client_request_id = "client-req-abc"'),
      search(views, 'trace.client_request_id != "client-req-abc"'),
      search(views, 'trace.client_request_id LIKE "%abc%"'),
      search(views, 'trace.client_request_id ILIKE "%ABC%"'),
    ];

    // Assess
    expect(results).toEqual([['trace1'], ['trace2'], ['trace1'], ['trace1']]);
  });

  it('run_id also finds traces linked to the run, not only those logged in it (test_search_traces_with_run_id_filter)', () => {
    // Prepare
    const views = viewsOf([
      aTrace({ id: 'tr-direct', time: 4, metadata: { 'mlflow.sourceRun': 'r1' } }),
      aTrace({ id: 'tr-linked', time: 3, linkedRunIds: ['r1'] }),
      aTrace({ id: 'tr-both', time: 2, metadata: { 'mlflow.sourceRun': 'r1' }, linkedRunIds: ['r1'] }),
      aTrace({ id: 'tr-run2', time: 1, linkedRunIds: ['r2'] }),
      aTrace({ id: 'tr-unrelated', time: 0 }),
    ]);

    // Act
    const results = [search(views, 'attributes.run_id = "r1"'), search(views, 'run_id = "r2"'), search(views, "metadata.`mlflow.sourceRun` = 'r1'")];

    // Assess
    expect(results).toEqual([['tr-direct', 'tr-linked', 'tr-both'], ['tr-run2'], ['tr-direct', 'tr-both']]);
  });

  it('timestamp clauses bound the request times a search reads, and status clauses the states', () => {
    // Prepare
    const filters = [
      'timestamp_ms > 10 AND timestamp_ms <= 20.5 AND timestamp >= 12',
      "timestamp = 7 AND status IN ('OK', 'ERROR') AND status = 'ERROR'",
      "execution_time > 5 AND status != 'OK'",
    ];

    // Act
    const parsed = filters.map(parseTraceFilter).map((f) => ({ timeRange: f.timeRange, states: f.states }));

    // Assess
    expect(parsed).toEqual([
      { timeRange: { fromMs: 12, toMs: 20 }, states: undefined },
      { timeRange: { fromMs: 7, toMs: 7 }, states: ['ERROR'] },
      { timeRange: {}, states: undefined },
    ]);
  });
});
