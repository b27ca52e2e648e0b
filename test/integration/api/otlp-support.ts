import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import { ROOT_CONTEXT, trace, type Span as OtelApiSpan } from '@opentelemetry/api';
import { OTLPTraceExporter as ProtoExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { OTLPTraceExporter as JsonExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { BasicTracerProvider, BatchSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { otlpTypes } from '../../../shared/domain/genai/otlp/otlp-proto.js';
import type { TestApi } from '../../support/test-api.js';

/**
 * OTLP in tests: the test API behind a loopback HTTP server (OpenTelemetry's exporters speak HTTP), exporters as
 * an application would configure them, and hand-made export requests.
 */

/** The test API on a loopback port, as `npm start` serves it. */
export const serveOverHttp = async (api: TestApi): Promise<{ url: string; close: () => Promise<void> }> => {
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const headers = new Headers();
      for (const [key, value] of Object.entries(request.headers)) if (typeof value === 'string') headers.set(key, value);
      const body = request.method === 'GET' ? undefined : Buffer.concat(chunks);
      void api
        .request(request.url ?? '/', { method: request.method ?? 'GET', headers, ...(body ? { body } : {}) })
        .then(async (answer) => {
          response.writeHead(answer.status, Object.fromEntries(answer.headers.entries()));
          response.end(Buffer.from(await answer.arrayBuffer()));
        });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, close: () => new Promise((resolve) => server.close(() => resolve())) };
};

type ExporterOptions = NonNullable<ConstructorParameters<typeof ProtoExporter>[0]>;

/** A tracer provider exporting to `url` in batches, with protobuf or JSON, gzipped or not. */
export const tracerExportingTo = (
  url: string,
  experimentId: string,
  options: { encoding: 'protobuf' | 'json'; gzip?: boolean; maxQueueSize?: number; maxExportBatchSize?: number },
) => {
  const config: ExporterOptions = {
    url: `${url}/v1/traces`,
    headers: { 'x-mlflow-experiment-id': experimentId },
    ...(options.gzip ? { compression: 'gzip' as ExporterOptions['compression'] } : {}),
    concurrencyLimit: 64,
    timeoutMillis: 60_000,
  };
  const exporter = options.encoding === 'protobuf' ? new ProtoExporter(config) : new JsonExporter(config);
  const processor = new BatchSpanProcessor(exporter, {
    maxQueueSize: options.maxQueueSize ?? 2048,
    maxExportBatchSize: options.maxExportBatchSize ?? 512,
    scheduledDelayMillis: 50,
    exportTimeoutMillis: 60_000,
  });
  const provider = new BasicTracerProvider({ spanProcessors: [processor], forceFlushTimeoutMillis: 600_000 });
  return { tracer: provider.getTracer('cairn-test'), provider };
};

/** A child context of `parent`, for starting spans without a context manager. */
export const under = (parent: OtelApiSpan) => trace.setSpan(ROOT_CONTEXT, parent);

/** An ExportTraceServiceRequest encoded by protobuf, from OTLP's object form (snake_case, ids as bytes). */
export const protobufRequest = (request: Record<string, unknown>, options: { gzip?: boolean } = {}): Uint8Array => {
  const { request: type } = otlpTypes();
  const bytes = type.encode(type.fromObject(request)).finish();
  return options.gzip ? gzipSync(bytes) : bytes;
};

/** One span in OTLP's object form for protobufRequest. */
export const protoSpan = (traceIdHex: string, spanIdHex: string, parentHex: string | undefined, name: string, startNs: bigint, endNs: bigint) => ({
  trace_id: Buffer.from(traceIdHex, 'hex'),
  span_id: Buffer.from(spanIdHex, 'hex'),
  ...(parentHex ? { parent_span_id: Buffer.from(parentHex, 'hex') } : {}),
  name,
  start_time_unix_nano: startNs.toString(),
  end_time_unix_nano: endNs.toString(),
  attributes: [
    { key: 'mlflow.spanType', value: { string_value: '"LLM"' } },
    { key: 'llm.tokens', value: { int_value: '9007199254740993' } },
  ],
  status: { code: 1 },
});

export const wrapSpans = (spans: object[]) => ({ resource_spans: [{ scope_spans: [{ spans }] }] });
