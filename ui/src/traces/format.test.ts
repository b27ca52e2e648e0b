import { describe, expect, it } from 'vitest';
import { ASSESSMENTS, TRACE_INFO } from './fixtures';
import { assessmentSummary, assessmentValue, durationMs, formatSpanDuration, requestTimeMs, stateOf, tokenUsage, userTags, verdictOf } from './format';
import { DEFAULT_TRACES_STATE, orderBy, parseTracesState, serverFilter, writeTracesState } from './url-state';
import type { Assessment } from './types';

const feedback = (name: string, value: unknown, extra: Partial<Assessment> = {}): Assessment => ({ assessment_name: name, feedback: { value }, ...extra });

describe('trace info fields', () => {
  it('reads proto Duration and Timestamp JSON, and the v2 names', () => {
    expect(durationMs({ execution_duration: '1.250s' })).toBe(1250);
    expect(durationMs({ execution_duration: '0.000250s' })).toBeCloseTo(0.25, 9);
    expect(durationMs({ execution_time_ms: 42 })).toBe(42);
    expect(durationMs({})).toBeUndefined();
    expect(requestTimeMs({ request_time: '2024-12-24T00:00:00.500Z' })).toBe(Date.UTC(2024, 11, 24, 0, 0, 0, 500));
    expect(requestTimeMs({ timestamp_ms: 7 })).toBe(7);
    expect(stateOf({ state: 'IN_PROGRESS' })).toBe('IN_PROGRESS');
    expect(stateOf({ status: 'OK' })).toBe('OK');
    expect(stateOf({})).toBe('STATE_UNSPECIFIED');
  });

  it('formats span durations from microseconds to hours', () => {
    expect(formatSpanDuration(0.25)).toBe('250 µs');
    expect(formatSpanDuration(3.456)).toBe('3.46 ms');
    expect(formatSpanDuration(5)).toBe('5 ms');
    expect(formatSpanDuration(640)).toBe('640 ms');
    expect(formatSpanDuration(1250)).toBe('1.25 s');
    expect(formatSpanDuration(1000)).toBe('1 s');
    expect(formatSpanDuration(75_000)).toBe('1 min 15 s');
    expect(formatSpanDuration(undefined)).toBe('');
  });

  it("reads token usage and leaves MLflow's own tags out of the user's", () => {
    expect(tokenUsage(TRACE_INFO)).toEqual({ input: 30, output: 12, total: 42 });
    expect(tokenUsage({ trace_id: 'x', trace_metadata: { 'mlflow.trace.tokenUsage': 'not json' } })).toBeUndefined();
    expect(userTags(TRACE_INFO.tags)).toEqual([['environment', 'test']]);
  });
});

describe('assessments', () => {
  it('reads feedback, expectations and serialized expectations', () => {
    expect(ASSESSMENTS.map(assessmentValue)).toEqual(['yes', 'Paris', false]);
    expect(assessmentValue({ assessment_name: 'e', expectation: { serialized_value: { serialization_format: 'JSON_FORMAT', value: '{"a": [1]}' } } })).toEqual({ a: [1] });
  });

  it('tells pass, fail, error and neutral apart', () => {
    expect(ASSESSMENTS.map(verdictOf)).toEqual(['pass', 'neutral', 'fail']);
    expect(verdictOf(feedback('x', 'No'))).toBe('fail');
    expect(verdictOf(feedback('x', 0.8))).toBe('neutral');
    expect(verdictOf({ assessment_name: 'x', feedback: { error: { error_code: 'TIMEOUT' } } })).toBe('error');
  });

  it('summarizes one chip per name, without overridden ones', () => {
    const list = [feedback('score', 0.123456), feedback('safe', true), feedback('safe', false), feedback('safe', true), feedback('old', 'yes', { valid: false })];
    expect(assessmentSummary(list)).toEqual([
      { name: 'safe', text: '2/3 pass', verdict: 'fail' },
      { name: 'score', text: '0.1235', verdict: 'neutral' },
    ]);
    expect(assessmentSummary([feedback('n', 1), feedback('n', 2)])).toEqual([{ name: 'n', text: '2 values', verdict: 'neutral' }]);
    expect(assessmentSummary(undefined)).toEqual([]);
  });
});

describe('the traces list URL state', () => {
  it('round-trips through the URL and writes only what differs from the default', () => {
    expect(writeTracesState(DEFAULT_TRACES_STATE).toString()).toBe('');
    const state = { filter: "tags.env = 'prod'", state: 'ERROR' as const, sort: { key: 'execution_time_ms' as const, desc: false }, since: '24h' as const, page: 'tok' };
    expect(parseTracesState(writeTracesState(state))).toEqual(state);
    expect(parseTracesState(new URLSearchParams('state=bogus&sort=nope.asc&since=2y'))).toEqual(DEFAULT_TRACES_STATE);
  });

  it('AND-s the state and time chips to the typed filter and orders by the sort', () => {
    expect(serverFilter({ filter: '', state: 'ALL', since: '' }, 0)).toBe('');
    expect(serverFilter({ filter: ' trace.execution_time_ms > 5 ', state: 'ERROR', since: '' }, 0)).toBe("trace.status = 'ERROR' AND trace.execution_time_ms > 5");
    expect(serverFilter({ filter: '', state: 'ALL', since: '1h' }, 10_000_000)).toBe('trace.timestamp_ms >= 6400000');
    expect(orderBy({ key: 'timestamp_ms', desc: true })).toEqual(['timestamp_ms DESC']);
  });
});
