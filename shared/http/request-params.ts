import type { Context } from 'hono';
import { invalidParameter } from '../errors/index.js';

/**
 * The request's fields, read the way MLflow reads them (handlers.py `_get_request_message`):
 * - a GET with a query string: the query's fields, repeated keys becoming lists;
 * - otherwise the JSON body, leniently: malformed JSON is `{}` (so the schema reports what is missing),
 *   and a body that is a JSON string is decoded once more (legacy double encoding).
 * POST and PUT must say `Content-Type: application/json`.
 */
export const readRequestParams = async (c: Context): Promise<Record<string, unknown>> => {
  const method = c.req.method;
  const url = new URL(c.req.url);
  if (method === 'GET' && url.search.length > 1) return queryFields(url.searchParams);
  if (method === 'POST' || method === 'PUT') assertJsonContentType(c.req.header('content-type'));
  return parseLenientJson(await c.req.text());
};

const queryFields = (search: URLSearchParams): Record<string, unknown> => {
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

export const parseLenientJson = (text: string): Record<string, unknown> => {
  let value: unknown;
  try {
    value = JSON.parse(text);
    if (typeof value === 'string') value = JSON.parse(value);
  } catch {
    return {};
  }
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
};
