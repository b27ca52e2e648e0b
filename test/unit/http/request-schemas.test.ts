import { describe, expect, it } from 'vitest';
import { parseLenientJson } from '../../../shared/http/request-params.js';
import { parseRequest } from '../../../shared/http/validate.js';
import { LogMetricRequest, SearchRunsRequest, UpdateRunRequest } from '../../../shared/schemas/tracking.js';
import { doubleToJson, runInfoToJson } from '../../../shared/http/serializers.js';

describe('request schemas', () => {
  it('reads int64 fields from numbers and digit strings, and doubles from their non-finite names', () => {
    // Act
    const parsed = parseRequest(LogMetricRequest, { run_id: 'r', key: 'k', value: '-Infinity', timestamp: '17', step: 3 });

    // Assess
    expect(parsed).toMatchObject({ value: -Infinity, timestamp: 17, step: 3 });
  });

  it('reads enums by name or by proto number, and a single query value as a list', () => {
    // Act
    const byNumber = parseRequest(UpdateRunRequest, { run_id: 'r', status: '3' });
    const search = parseRequest(SearchRunsRequest, { experiment_ids: '1', run_view_type: 'ALL' });

    // Assess
    expect(byNumber.status).toBe('FINISHED');
    expect(search).toMatchObject({ experiment_ids: ['1'], run_view_type: 'ALL' });
  });

  it("names the missing field in MLflow's words, counting an empty string as missing", () => {
    // Act & Assess
    expect(() => parseRequest(LogMetricRequest, { run_id: 'r', key: '', value: 1, timestamp: 1 })).toThrow(
      "Missing value for required parameter 'key'. See the API docs for more information about request parameters.",
    );
  });

  it('describes a value of the wrong type with its Python type name', () => {
    // Act & Assess
    expect(() => parseRequest(LogMetricRequest, { run_id: 'r', key: 'k', value: true, timestamp: 1 })).toThrow(
      "Invalid value true for parameter 'value' supplied. Hint: Value was of type 'bool'.",
    );
  });

  it('parses malformed JSON as an empty request and double-encoded JSON as its object', () => {
    // Act & Assess
    expect(parseLenientJson('{"a":')).toEqual({});
    expect(parseLenientJson(JSON.stringify(JSON.stringify({ a: 1 })))).toEqual({ a: 1 });
    expect(parseLenientJson('[1]')).toEqual({});
  });
});

describe('serializers', () => {
  it('writes non-finite doubles as MLflow strings', () => {
    // Act & Assess
    expect([Number.NaN, Infinity, -Infinity, 1.5].map(doubleToJson)).toEqual(['NaN', 'Infinity', '-Infinity', 1.5]);
  });

  it('omits end_time while a run has none, and repeats run_id as run_uuid', () => {
    // Act
    const json = runInfoToJson({
      runId: 'r',
      experimentId: '0',
      runName: 'n',
      userId: 'u',
      status: 'RUNNING',
      startTime: 1,
      artifactUri: 'a',
      lifecycleStage: 'active',
    });

    // Assess
    expect(json).not.toHaveProperty('end_time');
    expect(json).toMatchObject({ run_id: 'r', run_uuid: 'r' });
  });
});
