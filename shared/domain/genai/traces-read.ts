import { notFound } from '../../errors/index.js';
import { appendToUri, storeKeyOf } from '../artifacts/artifact-locations.js';
import type { ArtifactDeps } from '../artifacts/artifacts.js';
import { TRACE_METADATA, TRACE_TAGS, type Span, type Trace, type TraceInfo } from './entities.js';
import type { TraceRepository } from './ports.js';
import { stringifyJson } from './raw-json.js';
import { spansOfTraceData } from './traces-data.js';
import { traceDataJson } from './traces-wire.js';
import { requireTraceInfo } from './traces.js';

/**
 * Reading a trace with its spans. Spans live in the store when they came through OTLP; a client that could not
 * send them (an older client, or one that found `/v1/traces` missing) uploaded traces.json through the artifact
 * protocol to the trace's `mlflow.artifactLocation`, and that file is read instead.
 */

type ReadDeps = { readonly traces: TraceRepository };

/** MLflow's file name of a trace's data (TRACE_DATA_FILE_NAME). */
export const TRACE_DATA_FILE = 'traces.json';

/** The store key of the trace's traces.json, when its artifact location is in Cairn's store. */
const traceDataKey = (info: TraceInfo, artifacts: ArtifactDeps): string | undefined => {
  const location = info.tags[TRACE_TAGS.artifactLocation];
  if (!location) return undefined;
  try {
    return storeKeyOf(appendToUri(location, TRACE_DATA_FILE), artifacts);
  } catch {
    return undefined;
  }
};

const readText = async (artifacts: ArtifactDeps, key: string): Promise<string | undefined> => {
  const object = await artifacts.store.get(key);
  if (!object) return undefined;
  const chunks: Buffer[] = [];
  for await (const chunk of object.body) chunks.push(Buffer.from(chunk as Uint8Array));
  return Buffer.concat(chunks).toString('utf8');
};

/** The trace's spans: from the store, else from its uploaded traces.json, else none. */
const spansOf = async (deps: ReadDeps, artifacts: ArtifactDeps | undefined, info: TraceInfo): Promise<Span[]> => {
  const stored = await deps.traces.getSpans(info.traceId);
  if (stored.length > 0 || !artifacts) return stored;
  const key = traceDataKey(info, artifacts);
  const text = key === undefined ? undefined : await readText(artifacts, key);
  return (text !== undefined && spansOfTraceData(text, info.traceId)) || [];
};

/** How many spans the client said the trace has (its mlflow.trace.sizeStats metadata), when it said so. */
const expectedSpans = (info: TraceInfo): number | undefined => {
  const stats = info.metadata[TRACE_METADATA.sizeStats];
  if (!stats) return undefined;
  try {
    const parsed = JSON.parse(stats) as { num_spans?: unknown };
    return typeof parsed.num_spans === 'number' ? parsed.num_spans : undefined;
  } catch {
    return undefined;
  }
};

/**
 * traces/get. Without `allowPartial`, a trace whose spans are not all in yet (fewer than its size stats say) is
 * RESOURCE_DOES_NOT_EXIST with MLflow's words, so the client asks again later.
 */
export const getTrace = async (deps: ReadDeps, artifacts: ArtifactDeps | undefined, traceId: string, allowPartial = false): Promise<Trace> => {
  const info = await requireTraceInfo(deps, traceId);
  const spans = await spansOf(deps, artifacts, info);
  const expected = expectedSpans(info);
  if (!allowPartial && expected !== undefined && spans.length < expected) {
    throw notFound(`Trace with ID ${traceId} is not fully exported yet, please try again later.`);
  }
  return { info, spans };
};

/** traces/batchGet: the traces among `traceIds` that exist, with their spans, in the order asked. */
export const batchGetTraces = async (deps: ReadDeps, artifacts: ArtifactDeps | undefined, traceIds: readonly string[]): Promise<Trace[]> => {
  const infos = await deps.traces.getInfos(traceIds);
  return Promise.all(infos.map(async (info) => ({ info, spans: await spansOf(deps, artifacts, info) })));
};

/**
 * get-trace-artifact's body: the trace data as JSON text. Spans in the store are written as MLflow's client
 * writes traces.json; an uploaded traces.json is answered as it was stored.
 */
export const traceDataText = async (deps: ReadDeps, artifacts: ArtifactDeps | undefined, traceId: string): Promise<string> => {
  const info = await requireTraceInfo(deps, traceId);
  const stored = await deps.traces.getSpans(traceId);
  if (stored.length > 0) return stringifyJson(traceDataJson(stored));
  const key = artifacts && traceDataKey(info, artifacts);
  const text = key === undefined || !artifacts ? undefined : await readText(artifacts, key);
  if (text === undefined || spansOfTraceData(text, traceId) === undefined) {
    throw notFound(`Trace data not found for trace with request_id '${traceId}'.`);
  }
  return text;
};
