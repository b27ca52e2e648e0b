import { describe, expect, it } from 'vitest';
import { parseJsonKeepingBigInts, RawNumber, stringifyJson } from '../../../shared/domain/genai/raw-json.js';
import { spansOfTraceData } from '../../../shared/domain/genai/traces-data.js';
import { mergeTraceInfo } from '../../../shared/domain/genai/trace-merge.js';
import type { TraceInfo } from '../../../shared/domain/genai/entities.js';
import { durationJson, parseDurationMs, parseTimestampMs, timestampJson, traceInfoV2Json } from '../../../shared/domain/genai/traces-wire.js';

describe('Timestamp and Duration in their protobuf JSON forms', () => {
  it.each([
    [1_700_000_000_000, '2023-11-14T22:13:20Z'],
    [1_700_000_000_123, '2023-11-14T22:13:20.123Z'],
  ])('writes %d ms as %s', (ms, text) => {
    // Act / Assess
    expect(timestampJson(ms)).toBe(text);
    expect(parseTimestampMs(text, 'request_time')).toBe(ms);
  });

  it('reads nanosecond fractions and offsets down to the millisecond', () => {
    // Act / Assess
    expect(parseTimestampMs('2023-11-14T22:13:20.123456789Z', 'f')).toBe(1_700_000_000_123);
    expect(parseTimestampMs('2023-11-14T23:13:20.5+01:00', 'f')).toBe(1_700_000_000_500);
    expect(() => parseTimestampMs('2023-11-14 22:13:20', 'f')).toThrow(/not an RFC 3339 timestamp/);
  });

  it.each([
    [1500, '1.500s'],
    [2000, '2s'],
    [1, '0.001s'],
    [0, '0s'],
  ])('writes a duration of %d ms as %s and reads it back', (ms, text) => {
    // Act / Assess
    expect(durationJson(ms)).toBe(text);
    expect(parseDurationMs(text, 'execution_duration')).toBe(ms);
  });

  it('reads durations as protobuf writes them, and refuses others', () => {
    // Act / Assess
    expect(parseDurationMs('1.5s', 'f')).toBe(1500);
    expect(parseDurationMs('-0.250s', 'f')).toBe(-250);
    expect(() => parseDurationMs('1500ms', 'f')).toThrow(/duration/);
  });
});

describe('JSON with 64-bit integers', () => {
  it('keeps every digit both ways, and writes non-finite numbers as MLflow does', () => {
    // Prepare
    const text = '{"t": 1741064767890123456, "small": 12, "f": 1.5, "s": "9999999999999999999", "neg": -9223372036854775808}';

    // Act
    const parsed = parseJsonKeepingBigInts(text) as Record<string, unknown>;
    const written = stringifyJson({ ...parsed, raw: new RawNumber('18446744073709551615'), nan: Number.NaN, inf: -Infinity });

    // Assess
    expect(parsed).toEqual({ t: 1741064767890123456n, small: 12, f: 1.5, s: '9999999999999999999', neg: -9223372036854775808n });
    expect(written).toBe(
      '{"t":1741064767890123456,"small":12,"f":1.5,"s":"9999999999999999999","neg":-9223372036854775808,"raw":18446744073709551615,"nan":"NaN","inf":"-Infinity"}',
    );
  });
});

describe('traces.json in the shapes MLflow clients write', () => {
  it('reads 2.x, 3.x (base64 ids) and hex span dicts, and leaves out what it cannot read', () => {
    // Prepare
    const traceHex = '0123456789abcdef0123456789abcdef';
    const b64 = (hex: string) => Buffer.from(hex, 'hex').toString('base64');
    const text = JSON.stringify({
      spans: [
        {
          name: 'v2',
          context: { trace_id: `0x${traceHex}`, span_id: '0x00000000000000a1' },
          parent_id: null,
          start_time: 10,
          end_time: 20,
          status_code: 'ERROR',
          status_message: 'boom',
          attributes: { a: '"x"' },
          events: [{ name: 'e', timestamp: 15, attributes: {} }],
        },
        {
          name: 'v3',
          trace_id: b64(traceHex),
          span_id: b64('00000000000000a2'),
          parent_span_id: b64('00000000000000a1'),
          start_time_unix_nano: 11,
          end_time_unix_nano: 19,
          status: { code: 'STATUS_CODE_OK', message: '' },
          attributes: {},
          events: [],
        },
        { name: 'hex', otel_trace_id: traceHex, span_id: '00000000000000a3', parent_span_id: null, start_time_unix_nano: 12, status: { code: 'UNSET' } },
        { name: 'broken' },
      ],
    });

    // Act
    const spans = spansOfTraceData(text, 'tr-x') ?? [];

    // Assess
    expect(spans.map((s) => [s.name, s.spanId, s.parentSpanId, s.status.code])).toEqual([
      ['v2', '00000000000000a1', undefined, 'ERROR'],
      ['v3', '00000000000000a2', '00000000000000a1', 'OK'],
      ['hex', '00000000000000a3', undefined, 'UNSET'],
    ]);
    expect(spans[0]?.events).toEqual([{ name: 'e', timeUnixNano: '15', attributes: {} }]);
    expect(spans.every((s) => s.otelTraceId === traceHex && s.traceId === 'tr-x')).toBe(true);
    expect(spansOfTraceData('not json', 'tr-x')).toBeUndefined();
  });
});

describe('merging trace infos', () => {
  const base: TraceInfo = { traceId: 'tr-1', experimentId: '0', requestTime: 1000, executionDuration: 100, state: 'IN_PROGRESS', metadata: {}, tags: {} };

  it('lets later spans widen the time and settle an open state, and keeps the client’s finished info', () => {
    // Prepare
    const fromSpans: TraceInfo = { ...base, requestTime: 900, executionDuration: 300, state: 'ERROR', tags: { 'mlflow.trace.spansLocation': 'TRACKING_STORE' } };
    const client: TraceInfo = { ...base, state: 'OK', requestTime: 950, executionDuration: 10, tags: { team: 'ml' }, metadata: { m: '1' } };

    // Act
    const widened = mergeTraceInfo(base, fromSpans, 'spans');
    const finished = mergeTraceInfo(widened, client, 'client');
    const afterFinish = mergeTraceInfo(finished, { ...fromSpans, state: 'OK' }, 'spans');

    // Assess
    expect(widened).toMatchObject({ requestTime: 900, executionDuration: 300, state: 'ERROR' });
    expect(finished).toMatchObject({ requestTime: 950, executionDuration: 10, state: 'OK', metadata: { m: '1' } });
    expect(finished.tags).toEqual({ 'mlflow.trace.spansLocation': 'TRACKING_STORE', team: 'ml' });
    expect(afterFinish.state).toBe('OK');
    expect(mergeTraceInfo(finished, client, 'client')).toEqual(finished);
  });

  it('writes the v2 info of a trace without a duration with 0, as MLflow does', () => {
    // Act
    const { executionDuration: _d, ...open } = base;
    const v2 = traceInfoV2Json({ ...open, state: 'STATE_UNSPECIFIED' });

    // Assess
    expect(v2).toEqual({ request_id: 'tr-1', experiment_id: '0', timestamp_ms: 1000, execution_time_ms: 0, status: 'TRACE_STATUS_UNSPECIFIED' });
  });
});
