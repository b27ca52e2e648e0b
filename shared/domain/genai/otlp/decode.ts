import { gunzipSync, inflateRawSync, inflateSync } from 'node:zlib';
import { invalidParameter, MlflowError, requestTooLarge } from '../../../errors/index.js';
import { assertShallowJson } from '../../../http/safe-fields.js';
import { parseJsonKeepingBigInts } from '../raw-json.js';
import { otlpTypes } from './otlp-proto.js';
import { fromJsonRequest, fromProtobufRequest, type OtlpSpanInput } from './normalize.js';

/**
 * OTLP/HTTP trace export bodies (https://opentelemetry.io/docs/specs/otlp/#otlphttp) read the way MLflow's
 * `/v1/traces` reads them (mlflow/server/otel_api.py): the body decompressed by its Content-Encoding (identity,
 * gzip, deflate), then parsed as an ExportTraceServiceRequest. MLflow takes only protobuf; Cairn also takes OTLP's
 * JSON encoding, which exporters send with `application/json`. Every fault of the body is INVALID_PARAMETER_VALUE.
 */

/** The most a body may inflate to: a small gzip bomb must not take the process's memory. */
export const MAX_OTLP_DECOMPRESSED_BYTES = 64 * 1024 * 1024;

export type OtlpEncoding = 'protobuf' | 'json';

/** Which encoding a Content-Type names; INVALID_PARAMETER_VALUE for any other (MLflow's message, JSON added). */
export const otlpEncodingOf = (contentType: string | undefined): OtlpEncoding => {
  const mediaType = contentType?.split(';')[0]?.trim().toLowerCase();
  if (mediaType === 'application/x-protobuf') return 'protobuf';
  if (mediaType === 'application/json') return 'json';
  throw invalidParameter(`Invalid Content-Type: ${contentType ?? 'None'}. Expected: application/x-protobuf or application/json`);
};

/** The body's bytes after its Content-Encoding, as MLflow's decompress_otlp_body reads them. */
export const decompressOtlpBody = (raw: Uint8Array, contentEncoding: string | undefined): Uint8Array => {
  const encoding = (contentEncoding ?? 'identity').trim().toLowerCase() || 'identity';
  const options = { maxOutputLength: MAX_OTLP_DECOMPRESSED_BYTES };
  const inflate = (run: () => Uint8Array, name: string) => {
    try {
      return run();
    } catch (error) {
      if (error instanceof RangeError) throw requestTooLarge(MAX_OTLP_DECOMPRESSED_BYTES);
      throw invalidParameter(`Failed to decompress ${name} payload`);
    }
  };
  switch (encoding) {
    case 'identity':
      return raw;
    case 'gzip':
      return inflate(() => gunzipSync(raw, options), 'gzip');
    case 'deflate':
      // RFC 1950 (zlib-wrapped) deflate first, then a raw stream, which some clients send.
      return inflate(() => {
        try {
          return inflateSync(raw, options);
        } catch (error) {
          if (error instanceof RangeError) throw error;
          return inflateRawSync(raw, options);
        }
      }, 'deflate');
    default:
      throw invalidParameter(`Unsupported Content-Encoding: ${contentEncoding}`);
  }
};

/** The spans of an export request body, in the order sent. */
export const decodeOtlpRequest = (body: Uint8Array, encoding: OtlpEncoding): OtlpSpanInput[] =>
  encoding === 'protobuf' ? decodeProtobuf(body) : decodeJson(body);

const decodeProtobuf = (body: Uint8Array): OtlpSpanInput[] => {
  const { request } = otlpTypes();
  let decoded: unknown;
  try {
    decoded = request.toObject(request.decode(body), { longs: String, oneofs: true });
  } catch {
    // Truncated or garbled bytes, a wrong wire type, or nesting deep enough to exhaust the stack.
    throw invalidParameter('Invalid OpenTelemetry protobuf format');
  }
  return guard(() => fromProtobufRequest(decoded), 'Invalid OpenTelemetry protobuf format');
};

const decodeJson = (body: Uint8Array): OtlpSpanInput[] => {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(body);
  } catch {
    throw invalidParameter('Invalid OpenTelemetry JSON format: the body is not UTF-8');
  }
  assertShallowJson(text);
  let parsed: unknown;
  try {
    // 64-bit integers written as JSON numbers (times in nanoseconds, intValue) keep every digit.
    parsed = parseJsonKeepingBigInts(text);
  } catch {
    throw invalidParameter('Invalid OpenTelemetry JSON format');
  }
  return guard(() => fromJsonRequest(parsed), 'Invalid OpenTelemetry JSON format');
};

/** A fault found while reading the decoded request is the caller's: INVALID_PARAMETER_VALUE with `what` in front. */
const guard = (read: () => OtlpSpanInput[], what: string): OtlpSpanInput[] => {
  try {
    return read();
  } catch (error) {
    if (error instanceof MlflowError) throw error;
    throw invalidParameter(what);
  }
};
