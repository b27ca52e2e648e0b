/**
 * Replays a conformance fixture against a target, one exchange at a time in `n` order, and compares every
 * response with the recorded one (README section 4).
 */
import { createHash } from 'node:crypto';
import type { Body, Exchange, Fixture, FixtureResponse, JsonValue } from './fixture.js';
import { compareJson } from './compare.js';
import { Bindings, matchTemplate, preview, substituteJson, substituteText } from './placeholders.js';

export interface ReplayTarget {
  fetch(request: Request): Promise<Response>;
}

export interface ExchangeResult {
  n: number;
  step: string;
  method: string;
  /** The recorded path, placeholders and all. */
  path: string;
  ok: boolean;
  /** Human-readable mismatches, each naming where it is (`status`, `content-type`, `body.run.info.run_id`, …). */
  problems: string[];
  /** The URL actually requested, when the exchange was sent. */
  url?: string;
}

export interface ReplayOptions {
  /** Default `http://cairn.test`. A path prefix is kept. */
  baseUrl?: string;
  /** `lenient`: recorded error responses (status >= 400) compare only status, media type and `error_code`. */
  messages?: 'strict' | 'lenient' | ((exchange: Exchange) => 'strict' | 'lenient');
  /** Added to every client timestamp of `client_values`. */
  timeOffsetMs?: number;
  /** A reason not to send this exchange, or undefined to send it. */
  skip?: (exchange: Exchange) => string | undefined;
  /** The `Authorization` header of an exchange (auth.json: its `auth` identity's credentials), or none. */
  authorization?: (exchange: Exchange) => string | undefined;
}

export interface ReplayReport {
  fixture: string;
  results: ExchangeResult[];
  skipped: { n: number; reason: string }[];
}

/** A target that serves requests with an in-process app, e.g. a Hono app (`app.request`). */
export function appTarget(app: { request(request: Request): Response | Promise<Response> }): ReplayTarget {
  return { fetch: async (request) => app.request(request) };
}

/** A target that sends requests over real HTTP; pair it with `baseUrl` pointing at the server. */
export const httpTarget: ReplayTarget = { fetch: (request) => fetch(request) };

const messagesFor = (options: ReplayOptions, exchange: Exchange): 'strict' | 'lenient' =>
  typeof options.messages === 'function' ? options.messages(exchange) : (options.messages ?? 'strict');

export async function replayFixture(fixture: Fixture, target: ReplayTarget, options: ReplayOptions = {}): Promise<ReplayReport> {
  const baseUrl = (options.baseUrl ?? 'http://cairn.test').replace(/\/+$/, '');
  const bindings = new Bindings();
  for (const [key, value] of Object.entries(fixture.client_values)) bindings.preset(key, value + (options.timeOffsetMs ?? 0));

  const report: ReplayReport = { fixture: fixture.flow, results: [], skipped: [] };
  const exchanges = [...fixture.exchanges].sort((a, b) => a.n - b.n);
  for (const exchange of exchanges) {
    const reason = exchange.skip ?? options.skip?.(exchange);
    if (reason !== undefined) {
      report.skipped.push({ n: exchange.n, reason });
      continue;
    }
    const result: ExchangeResult = {
      n: exchange.n,
      step: exchange.step,
      method: exchange.request.method,
      path: exchange.request.path,
      ok: false,
      problems: [],
    };
    try {
      await replayExchange(exchange, target, baseUrl, bindings, options, result);
    } catch (error) {
      result.problems.push(`replay error: ${error instanceof Error ? error.message : String(error)}`);
    }
    result.ok = result.problems.length === 0;
    report.results.push(result);
  }
  return report;
}

interface BuiltRequest {
  url: string;
  init: RequestInit;
  bytes: Uint8Array;
  unbound: string[];
  problem?: string;
}

/** Substitutes placeholders and encodes the request of one exchange (README section 4, rule 2). */
export function buildRequest(exchange: Exchange, baseUrl: string, bindings: Bindings): BuiltRequest {
  const { request } = exchange;
  const unbound: string[] = [];
  let url = baseUrl + substituteText(request.path, bindings, unbound);
  if (request.query && request.query.length > 0) {
    const params = new URLSearchParams(request.query.map(([name, value]): [string, string] => [name, substituteText(value, bindings, unbound)]));
    url += `${url.includes('?') ? '&' : '?'}${params.toString()}`;
  }
  const headers = new Headers();
  for (const [name, value] of Object.entries(request.headers ?? {})) headers.set(name, value);
  const encoded = encodeBody(request.body ?? null, bindings, unbound);
  const init: RequestInit = { method: request.method, headers };
  if (encoded.bytes !== undefined) init.body = encoded.bytes;
  return { url, init, bytes: encoded.bytes ?? new Uint8Array(0), unbound, problem: encoded.problem };
}

function encodeBody(body: Body, bindings: Bindings, unbound: string[]): { bytes?: Uint8Array; problem?: string } {
  if (body === null) return {};
  if ('json' in body) return { bytes: utf8(JSON.stringify(substituteJson(body.json, bindings, unbound))) };
  if ('text' in body) return { bytes: utf8(substituteText(body.text, bindings, unbound)) };
  if ('base64' in body) return { bytes: new Uint8Array(Buffer.from(body.base64, 'base64')) };
  return { problem: `request body is only recorded as size ${body.size} and sha256; it cannot be sent (the exchange should carry skip)` };
}

const utf8 = (text: string): Uint8Array => new TextEncoder().encode(text);

async function replayExchange(
  exchange: Exchange,
  target: ReplayTarget,
  baseUrl: string,
  bindings: Bindings,
  options: ReplayOptions,
  result: ExchangeResult,
): Promise<void> {
  const built = buildRequest(exchange, baseUrl, bindings);
  const authorization = options.authorization?.(exchange);
  if (authorization !== undefined) (built.init.headers as Headers).set('authorization', authorization);
  if (built.unbound.length > 0) {
    result.problems.push(`request: unbound placeholder(s) ${[...new Set(built.unbound)].join(', ')}: replay bug, not sent`);
    return;
  }
  if (built.problem !== undefined) {
    result.problems.push(`request: ${built.problem}`);
    return;
  }
  bindings.preset(`len:${exchange.n}`, built.bytes.byteLength);
  result.url = built.url;

  let response: Response;
  try {
    response = await target.fetch(new Request(built.url, built.init));
  } catch (error) {
    result.problems.push(`request failed: ${error instanceof Error ? error.message : String(error)}`);
    return;
  }
  const bytes = new Uint8Array(await response.arrayBuffer());
  result.problems.push(...compareResponse(exchange.response, response, bytes, bindings, messagesFor(options, exchange)));
}

const mediaType = (contentType: string): string => (contentType.split(';')[0] ?? '').trim().toLowerCase();

/** Compares one response: status, media type, headers, then the body by its recorded form. */
export function compareResponse(
  expected: FixtureResponse,
  response: Response,
  bytes: Uint8Array,
  bindings: Bindings,
  messages: 'strict' | 'lenient' = 'strict',
): string[] {
  const problems: string[] = [];
  if (response.status !== expected.status) problems.push(`status: expected ${expected.status}, got ${response.status}`);
  if (expected.content_type !== undefined) {
    const actual = response.headers.get('content-type');
    if (actual === null) problems.push(`content-type: expected ${JSON.stringify(expected.content_type)}, got none`);
    else if (mediaType(actual) !== mediaType(expected.content_type)) {
      problems.push(`content-type: expected ${JSON.stringify(expected.content_type)}, got ${JSON.stringify(actual)}`);
    }
  }
  for (const [name, template] of Object.entries(expected.headers ?? {})) {
    const actual = response.headers.get(name);
    if (actual === null) problems.push(`header ${name}: expected ${JSON.stringify(template)}, got none`);
    else {
      const problem = matchTemplate(template, actual, bindings);
      if (problem !== undefined) problems.push(`header ${name}: ${problem}`);
    }
  }
  problems.push(...compareBody(expected, bytes, bindings, messages));
  return problems;
}

function compareBody(expected: FixtureResponse, bytes: Uint8Array, bindings: Bindings, messages: 'strict' | 'lenient'): string[] {
  const body = expected.body ?? null;
  if (body === null) return bytes.byteLength === 0 ? [] : [`body: expected no body, got ${bytes.byteLength} bytes ${preview(decodeLoosely(bytes), 80)}`];
  if ('base64' in body) return compareBytes(new Uint8Array(Buffer.from(body.base64, 'base64')), bytes);
  if ('size' in body) {
    const digest = createHash('sha256').update(bytes).digest('hex');
    if (bytes.byteLength === body.size && digest === body.sha256.toLowerCase()) return [];
    return [`body: expected ${body.size} bytes with sha256 ${body.sha256}, got ${bytes.byteLength} bytes with sha256 ${digest}`];
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return [`body: expected UTF-8 ${'json' in body ? 'JSON' : 'text'}, got ${bytes.byteLength} bytes that are not valid UTF-8`];
  }
  if ('text' in body) {
    const problem = matchTemplate(body.text, text, bindings);
    return problem === undefined ? [] : [`body: ${problem}`];
  }
  let actual: unknown;
  try {
    actual = JSON.parse(text);
  } catch {
    return [`body: expected JSON, got ${preview(text, 160)}`];
  }
  if (messages === 'lenient' && expected.status >= 400) return compareErrorCode(expected, body.json, actual);
  return compareJson(body.json, actual, bindings, { unordered: expected.unordered });
}

/** Lenient error comparison: only `error_code`; the message is not compared at all. */
function compareErrorCode(expected: FixtureResponse, template: JsonValue, actual: unknown): string[] {
  const recorded = template !== null && typeof template === 'object' && !Array.isArray(template) ? template.error_code : undefined;
  const code = expected.error_code ?? recorded;
  if (code === undefined) return [];
  const got = actual !== null && typeof actual === 'object' && !Array.isArray(actual) ? (actual as Record<string, unknown>).error_code : undefined;
  return got === code ? [] : [`body.error_code: expected ${preview(code)}, got ${preview(got)}`];
}

function compareBytes(expected: Uint8Array, actual: Uint8Array): string[] {
  if (Buffer.from(expected).equals(Buffer.from(actual))) return [];
  let at = 0;
  while (at < expected.length && at < actual.length && expected[at] === actual[at]) at++;
  return [`body: expected ${expected.byteLength} bytes, got ${actual.byteLength}; first difference at byte ${at}`];
}

function decodeLoosely(bytes: Uint8Array): string {
  return new TextDecoder('utf-8').decode(bytes.subarray(0, 200));
}

export { formatReport, type FormatOptions } from './report.js';
