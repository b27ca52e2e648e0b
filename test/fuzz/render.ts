import type { FuzzRequest } from './arbitraries.js';
import type { WireRequest } from './http.js';
import { Deep } from './nasty.js';

const UNRESERVED = /[A-Za-z0-9\-._~]/;

/**
 * Percent-encodes as a browser would, except that a lone surrogate (which encodeURIComponent refuses) is
 * sent as its WTF-8 bytes: exactly the malformed UTF-8 a hostile caller sends.
 */
export const encodeComponent = (value: string, keepSlash = false): string => {
  let out = '';
  for (let i = 0; i < value.length; i++) {
    const unit = value.charCodeAt(i);
    const char = value[i]!;
    if (UNRESERVED.test(char) || (keepSlash && char === '/')) {
      out += char;
      continue;
    }
    const isHigh = unit >= 0xd800 && unit <= 0xdbff;
    const next = value.charCodeAt(i + 1);
    let bytes: number[];
    if (isHigh && next >= 0xdc00 && next <= 0xdfff) {
      bytes = [...Buffer.from(value.slice(i, i + 2))];
      i++;
    } else if (unit >= 0xd800 && unit <= 0xdfff) {
      bytes = [0xe0 | (unit >> 12), 0x80 | ((unit >> 6) & 0x3f), 0x80 | (unit & 0x3f)];
    } else {
      bytes = [...Buffer.from(char)];
    }
    out += bytes.map((b) => `%${b.toString(16).toUpperCase().padStart(2, '0')}`).join('');
  }
  return out;
};

const renderDeep = (deep: Deep) =>
  deep.open === '[' ? `${'['.repeat(deep.depth)}${']'.repeat(deep.depth)}` : `${deep.open.repeat(deep.depth)}1${'}'.repeat(deep.depth)}`;

/** JSON text of a generated value; `Deep` markers become nesting, own `__proto__` keys stay keys. */
export const renderJson = (value: unknown): string => {
  if (value instanceof Deep) return renderDeep(value);
  if (Array.isArray(value)) return `[${value.map(renderJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    return `{${Object.entries(value).map(([k, v]) => `${JSON.stringify(k)}:${renderJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
};

const queryText = (value: unknown): string => (typeof value === 'string' ? value : renderJson(value));

const renderQuery = (query: Record<string, unknown>): string =>
  Object.entries(query)
    .flatMap(([key, value]) => (Array.isArray(value) ? value : [value]).map((v) => `${encodeComponent(key)}=${encodeComponent(queryText(v))}`))
    .join('&');

export const toWire = (request: FuzzRequest): WireRequest => {
  const query = request.query && Object.keys(request.query).length > 0 ? `?${renderQuery(request.query)}` : '';
  const headers: [string, string][] = request.contentType === undefined ? [] : [['Content-Type', request.contentType]];
  const body =
    request.raw !== undefined
      ? Buffer.isBuffer(request.raw)
        ? request.raw
        : Buffer.from(request.raw)
      : request.body !== undefined
        ? Buffer.from(renderJson(request.body))
        : undefined;
  return { method: request.method, target: request.path + query, headers, ...(body ? { body } : {}) };
};

/** JSON string syntax, with the invisible characters JSON leaves raw (DEL, C1, bidi, separators) escaped too. */
const quote = (text: string) =>
  JSON.stringify(text).replace(/[\u007f-\u009f\u00ad\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);

/** A value for a report: long strings cut, with their length, so a 1 MB value prints in a line. */
export const brief = (value: unknown, max = 120): string => {
  if (value instanceof Deep) return `<${value.depth} levels of ${value.open}>`;
  if (Buffer.isBuffer(value)) return `<${value.length} bytes ${value.subarray(0, 16).toString('hex')}…>`;
  if (typeof value === 'string') {
    const shown = quote(value.length > max ? value.slice(0, max) : value);
    return value.length > max ? `${shown}…(${value.length} chars)` : shown;
  }
  if (Array.isArray(value)) return `[${value.map((v) => brief(v, max)).join(', ')}]`;
  if (value !== null && typeof value === 'object') {
    return `{${Object.entries(value).map(([k, v]) => `${brief(k, 40)}: ${brief(v, max)}`).join(', ')}}`;
  }
  return String(value);
};

export const describeRequest = (request: FuzzRequest): string => {
  const parts = [`${request.method} ${brief(request.path, 200)}`];
  if (request.query && Object.keys(request.query).length > 0) parts.push(`query ${brief(request.query)}`);
  if (request.contentType !== 'application/json') parts.push(`content-type ${brief(request.contentType)}`);
  if (request.raw !== undefined) parts.push(`body ${brief(request.raw)}`);
  else if (request.body !== undefined) parts.push(`body ${brief(request.body)}`);
  return parts.join(' ');
};
