import type { Context } from 'hono';
import { invalidParameter, requestTooLarge } from '../errors/index.js';
import { assertSafeFields, assertShallowJson } from './safe-fields.js';
import { rememberJsonSource } from './json-numbers.js';

/**
 * Body limits. MLflow's server sets none of its own; these keep one request from growing the process
 * without bound while leaving room for the largest legitimate call of each route.
 */
export const BODY_LIMITS = {
  /** Every JSON RPC unless its route says otherwise: far above any single MLflow call but log-batch's. */
  default: 1024 * 1024,
  /**
   * log-batch (1000 entities, 100 tags of 8000 and 100 params of 6000 characters, which Python's client sends
   * `\uXXXX`-escaped) and log-inputs: API Gateway's own cap, so Lambda refuses nothing it would have received.
   */
  batch: 10 * 1024 * 1024,
} as const;

export interface ReadOptions {
  /** The largest body accepted, in bytes (BODY_LIMITS.default when not given). */
  readonly maxBodyBytes?: number;
}

/**
 * The request's fields, read the way MLflow reads them (handlers.py `_get_request_message`):
 * - a GET with a query string: the query's fields, repeated keys becoming lists;
 * - otherwise the JSON body, leniently: malformed JSON is `{}` (so the schema reports what is missing),
 *   and a body that is a JSON string is decoded once more (legacy double encoding).
 * POST and PUT must say `Content-Type: application/json`. A body over the route's limit is refused
 * before it is held in memory, one nested deeper than MAX_JSON_DEPTH before it is parsed, and any
 * string that is not valid UTF-16 (DynamoDB cannot store it) with INVALID_PARAMETER_VALUE.
 */
export const readRequestParams = async (c: Context, options: ReadOptions = {}): Promise<Record<string, unknown>> => {
  const method = c.req.method;
  const url = new URL(c.req.url);
  if (method === 'GET' && url.search.length > 1) return assertSafeFields(queryFields(url.searchParams));
  if (method === 'POST' || method === 'PUT') assertJsonContentType(c.req.header('content-type'));
  const text = await readBodyText(c, options.maxBodyBytes ?? BODY_LIMITS.default);
  assertShallowJson(text);
  const fields = assertSafeFields(parseLenientJson(text));
  rememberJsonSource(fields, text);
  return fields;
};

export const queryFields = (search: URLSearchParams): Record<string, unknown> => {
  const fields: Record<string, unknown> = {};
  for (const key of new Set(search.keys())) {
    const values = search.getAll(key);
    fields[key] = values.length === 1 ? values[0] : values;
  }
  return fields;
};

const assertJsonContentType = (contentType: string | undefined) => {
  if (!contentType) throw invalidParameter('Bad Request. Content-Type header is missing.');
  const mediaType = contentType.split(';')[0]?.trim().toLowerCase();
  if (mediaType !== 'application/json') {
    throw invalidParameter("Bad Request. Content-Type must be one of ['application/json'].");
  }
};

/**
 * The body's bytes, read chunk by chunk so that reading stops at `maxBytes`: a body without a declared length
 * (chunked) is cut off as soon as it passes it, with `tooLarge`'s error.
 */
export const readBodyBytes = async (c: Context, maxBytes: number, tooLarge: () => Error): Promise<Uint8Array> => {
  const body = c.req.raw.body;
  if (!body) return new Uint8Array();
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel().catch(() => undefined);
      throw tooLarge();
    }
    chunks.push(value);
  }
  return new Uint8Array(Buffer.concat(chunks));
};

/**
 * The body as text, read no further than `maxBytes`: a declared Content-Length over the limit is refused
 * unread, and a chunked body is cut off as soon as it passes it.
 */
export const readBodyText = async (c: Context, maxBytes: number): Promise<string> => {
  const declared = Number(c.req.header('content-length'));
  if (Number.isFinite(declared) && declared > maxBytes) throw requestTooLarge(maxBytes);
  const read = bodyTexts.get(c.req.raw);
  if (read !== undefined) {
    if (Buffer.byteLength(read) > maxBytes) throw requestTooLarge(maxBytes);
    return read;
  }
  if (c.req.raw.bodyUsed) return c.req.text();
  // A declared length within the limit bounds the body already (the HTTP parser reads no further), so it is read
  // whole: on @hono/node-server straight from the socket, not through a web stream (a fifth of a log-metric's CPU).
  const bounded = Number.isFinite(declared) && !c.req.header('transfer-encoding');
  const text = bounded ? await c.req.raw.text() : new TextDecoder().decode(await readBodyBytes(c, maxBytes, () => requestTooLarge(maxBytes)));
  bodyTexts.set(c.req.raw, text);
  return text;
};

/**
 * Bodies already read, by request: the authorization middleware reads a request's fields to find what it
 * touches, and the handler then reads the same text (within its own, possibly lower, limit), not a drained stream.
 */
const bodyTexts = new WeakMap<Request, string>();

export const parseLenientJson = (text: string): Record<string, unknown> => {
  let value: unknown;
  try {
    value = JSON.parse(text);
    if (typeof value === 'string') {
      assertShallowJson(value);
      value = JSON.parse(value);
    }
  } catch (error) {
    if (error instanceof Error && error.name === 'MlflowError') throw error;
    return {};
  }
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
};
