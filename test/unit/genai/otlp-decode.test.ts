import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { decodeOtlpRequest, decompressOtlpBody, MAX_OTLP_DECOMPRESSED_BYTES, otlpEncodingOf } from '../../../shared/domain/genai/otlp/decode.js';
import { otlpTypes } from '../../../shared/domain/genai/otlp/otlp-proto.js';
import { MlflowError } from '../../../shared/errors/index.js';
import { stringifyJson } from '../../../shared/domain/genai/raw-json.js';

const TRACE = '0af7651916cd43dd8448eb211c80319c';
const SPAN = 'b7ad6b7169203331';

const protobufOf = (span: Record<string, unknown>) => {
  const { request } = otlpTypes();
  return request.encode(request.fromObject({ resource_spans: [{ scope_spans: [{ spans: [span] }] }] })).finish();
};

const errorOf = (run: () => unknown): MlflowError => {
  try {
    run();
  } catch (error) {
    if (error instanceof MlflowError) return error;
    throw error;
  }
  throw new Error('no error');
};

describe('OTLP spans decoded as MLflow’s Span.from_otel_proto decodes them', () => {
  it('reads every AnyValue kind from protobuf, 64-bit integers kept, and adds MLflow’s trace id', () => {
    // Prepare
    const body = protobufOf({
      trace_id: Buffer.from(TRACE, 'hex'),
      span_id: Buffer.from(SPAN, 'hex'),
      name: 'n',
      start_time_unix_nano: '1741064767890123456',
      end_time_unix_nano: '0',
      attributes: [
        { key: 's', value: { string_value: 'x' } },
        { key: 'big', value: { int_value: '-9223372036854775808' } },
        { key: 'i', value: { int_value: '7' } },
        { key: 'd', value: { double_value: 0.25 } },
        { key: 'b', value: { bool_value: false } },
        { key: 'raw', value: { bytes_value: Buffer.from('hi') } },
        { key: 'list', value: { array_value: { values: [{ string_value: 'a' }, {}] } } },
        { key: 'map', value: { kvlist_value: { values: [{ key: 'k', value: { int_value: '1' } }] } } },
        { key: 's', value: { string_value: 'last wins' } },
      ],
      events: [{ name: 'e', time_unix_nano: '5', attributes: [] }],
      status: { code: 2, message: 'bad' },
    });

    // Act
    const [span] = decodeOtlpRequest(body, 'protobuf');

    // Assess
    expect(span).toEqual({
      traceId: `tr-${TRACE}`,
      otelTraceId: TRACE,
      spanId: SPAN,
      name: 'n',
      startTimeUnixNano: '1741064767890123456',
      status: { code: 'ERROR', message: 'bad' },
      attributes: {
        'mlflow.traceRequestId': `tr-${TRACE}`,
        s: 'last wins',
        big: -9223372036854775808n,
        i: 7,
        d: 0.25,
        b: false,
        raw: 'aGk=',
        list: ['a', null],
        map: { k: 1 },
      },
      events: [{ name: 'e', timeUnixNano: '5', attributes: {} }],
    });
  });

  it('reads OTLP JSON: hex ids, lowerCamelCase or snake_case, enums by name, doubles as strings', () => {
    // Prepare
    const body = stringifyJson({
      resourceSpans: [
        {
          scope_spans: [
            {
              spans: [
                {
                  traceId: TRACE,
                  span_id: SPAN,
                  parentSpanId: '',
                  name: 'j',
                  startTimeUnixNano: 1700000000000000001n,
                  attributes: [{ key: 'nan', value: { doubleValue: 'NaN' } }, { key: 'n', value: { intValue: 3 } }],
                  status: { code: 'STATUS_CODE_OK' },
                },
              ],
            },
          ],
        },
      ],
    });

    // Act
    const [span] = decodeOtlpRequest(new TextEncoder().encode(body), 'json');

    // Assess
    expect(span?.parentSpanId).toBeUndefined();
    expect(span?.startTimeUnixNano).toBe('1700000000000000001');
    expect(span?.status).toEqual({ code: 'OK', message: '' });
    expect(span?.attributes.n).toBe(3);
    expect(Number.isNaN(span?.attributes.nan)).toBe(true);
  });

  it('refuses what is not a span with INVALID_PARAMETER_VALUE', () => {
    // Prepare
    const json = (value: unknown) => new TextEncoder().encode(JSON.stringify(value));
    const spans = (span: unknown) => json({ resourceSpans: [{ scopeSpans: [{ spans: [span] }] }] });
    let nested: unknown = { string_value: 'leaf' };
    for (let depth = 0; depth < 30; depth++) nested = { array_value: { values: [nested] } };
    const deep = protobufOf({ trace_id: Buffer.from(TRACE, 'hex'), span_id: Buffer.from(SPAN, 'hex'), attributes: [{ key: 'x', value: nested }] });

    // Act
    const errors = [
      errorOf(() => decodeOtlpRequest(spans({ traceId: TRACE.slice(2), spanId: SPAN }), 'json')),
      errorOf(() => decodeOtlpRequest(spans({ traceId: '0'.repeat(32), spanId: SPAN }), 'json')),
      errorOf(() => decodeOtlpRequest(spans({ traceId: TRACE, spanId: SPAN, startTimeUnixNano: '-1' }), 'json')),
      errorOf(() => decodeOtlpRequest(deep, 'protobuf')),
      errorOf(() => decodeOtlpRequest(json([1, 2]), 'json')),
      errorOf(() => decodeOtlpRequest(new Uint8Array([0xff, 0xfe]), 'json')),
    ];

    // Assess
    for (const error of errors) expect(error.errorCode).toBe('INVALID_PARAMETER_VALUE');
    expect(errors[0]?.message).toBe('Invalid OpenTelemetry span: trace_id must be 16 bytes');
    expect(errors[3]?.message).toMatch(/nest deeper than/);
  });

  it('reads Content-Type and Content-Encoding as MLflow does, and stops a body that inflates past the limit', () => {
    // Prepare
    const bomb = gzipSync(Buffer.alloc(MAX_OTLP_DECOMPRESSED_BYTES + 1));

    // Act / Assess
    expect(otlpEncodingOf('application/x-protobuf')).toBe('protobuf');
    expect(otlpEncodingOf('application/json; charset=utf-8')).toBe('json');
    expect(errorOf(() => otlpEncodingOf(undefined)).message).toBe('Invalid Content-Type: None. Expected: application/x-protobuf or application/json');
    expect(Buffer.from(decompressOtlpBody(gzipSync('abc'), 'GZIP')).toString()).toBe('abc');
    expect(errorOf(() => decompressOtlpBody(bomb, 'gzip')).httpStatus).toBe(413);
  });
});
