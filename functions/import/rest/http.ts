/**
 * How the REST source talks to an MLflow server: credentials (Basic or Bearer, as MLflow's client sends
 * them), bounded retries with backoff on 408/429/5xx and network failures (MLflow's client retries the same
 * statuses, `rest_utils.http_request`), a per-request timeout, a cap on requests in flight, and errors that
 * say what went wrong in the user's terms (a refused password is not "HTTP 401").
 */
import { Readable } from 'node:stream';
import type { Limiter } from './concurrency.js';

export type RestAuth =
  | { readonly kind: 'basic'; readonly username: string; readonly password: string }
  | { readonly kind: 'bearer'; readonly token: string };

export interface RetryPolicy {
  /** Tries per request, the first included. */
  readonly attempts: number;
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { attempts: 6, baseDelayMs: 500, maxDelayMs: 20_000 };
export const DEFAULT_TIMEOUT_MS = 120_000;

/** What the server answered when it was not a success, or why no answer came. */
export class RestSourceError extends Error {
  override readonly name = 'RestSourceError';
  constructor(
    message: string,
    readonly url: string,
    readonly status?: number,
    readonly errorCode?: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

type QueryValue = string | number | boolean | readonly string[] | undefined;
export type Query = Readonly<Record<string, QueryValue>>;
export type Json = Record<string, unknown>;

export interface RestClientOptions {
  /** The tracking URI without a trailing slash, credentials taken out. */
  readonly baseUrl: string;
  readonly auth?: RestAuth;
  readonly limiter: Limiter;
  readonly fetch: typeof globalThis.fetch;
  readonly retry: RetryPolicy;
  readonly timeoutMs: number;
  /** Waits between retries (tests make it instant). */
  readonly sleep?: (ms: number) => Promise<void>;
}

export interface RestClient {
  readonly baseUrl: string;
  /** `GET <base><path>?<query>` answering JSON (repeated keys for lists, as MLflow reads them). */
  getJson(path: string, query?: Query): Promise<Json>;
  /** `POST <base><path>` with a JSON body. */
  postJson(path: string, body: Json): Promise<Json>;
  /** GET of an absolute URL answering JSON; credentials go only to the server's own origin. */
  getJsonAt(url: string): Promise<Json>;
  /** GET of an absolute URL whose body is streamed; the response is checked before the stream is handed back. */
  download(url: string): Promise<NodeJS.ReadableStream>;
}

const RETRYABLE_STATUSES = new Set([408, 429, 500, 502, 503, 504]);

export const withQuery = (url: string, query: Query = {}): string => {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined) continue;
    if (Array.isArray(value)) for (const item of value) params.append(key, item);
    else params.append(key, String(value));
  }
  const text = params.toString();
  return text ? `${url}?${text}` : url;
};

const authorizationOf = (auth: RestAuth): string =>
  auth.kind === 'basic'
    ? `Basic ${Buffer.from(`${auth.username}:${auth.password}`, 'utf8').toString('base64')}`
    : `Bearer ${auth.token}`;

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Exponential backoff with full jitter; a server's `Retry-After` (seconds or a date) wins, within the cap. */
const delayBefore = (attempt: number, policy: RetryPolicy, retryAfter: string | null): number => {
  if (retryAfter) {
    const seconds = Number(retryAfter);
    const ms = Number.isFinite(seconds) ? seconds * 1000 : Date.parse(retryAfter) - Date.now();
    if (Number.isFinite(ms) && ms >= 0) return Math.min(ms, policy.maxDelayMs);
  }
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
  return ceiling / 2 + Math.random() * (ceiling / 2);
};

/** MLflow's JSON error (`{"error_code", "message"}`) when the body is one; the status alone otherwise. */
const errorOf = (text: string): { errorCode?: string; message?: string } => {
  try {
    const body = JSON.parse(text) as unknown;
    if (body && typeof body === 'object') {
      const { error_code: errorCode, message } = body as Json;
      return {
        ...(typeof errorCode === 'string' ? { errorCode } : {}),
        ...(typeof message === 'string' ? { message } : {}),
      };
    }
  } catch {
    // Not JSON: a proxy's or an auth app's plain text page.
  }
  return {};
};

class Retryable extends Error {
  constructor(
    override readonly cause: unknown,
    readonly retryAfter: string | null = null,
  ) {
    super('retryable');
  }
}

export const createRestClient = (options: RestClientOptions): RestClient => {
  const { baseUrl, auth, limiter, retry, timeoutMs } = options;
  const sleep = options.sleep ?? defaultSleep;
  const origin = new URL(baseUrl).origin;
  const authorization = auth ? authorizationOf(auth) : undefined;

  const credentialProblem = (status: 401 | 403): string => {
    if (status === 401) {
      if (!auth) return 'the server requires credentials and none were given: pass a user name and password (Basic) or a token (Bearer)';
      return auth.kind === 'basic'
        ? `the user name '${auth.username}' and its password were refused (wrong password, or no such user)`
        : 'the Bearer token was refused (unknown, revoked or expired)';
    }
    const who = !auth ? 'anonymous callers' : auth.kind === 'basic' ? `user '${auth.username}'` : 'the Bearer token\'s user';
    return `${who} may not read this; the import needs read access to every experiment and registered model (an admin account has it)`;
  };

  const failure = async (url: string, response: Response): Promise<RestSourceError> => {
    const text = await response.text().catch(() => '');
    const { errorCode, message } = errorOf(text);
    const detail = [errorCode, message ?? (text.trim().slice(0, 200) || undefined)].filter(Boolean).join(': ');
    const what = `${response.status}${detail ? ` ${detail}` : ''}`;
    const endpoint = url.replace(/\?.*$/u, '');
    if (response.status === 401 || response.status === 403) {
      return new RestSourceError(`MLflow server ${baseUrl} refused ${endpoint} (${what}): ${credentialProblem(response.status)}`, url, response.status, errorCode);
    }
    return new RestSourceError(`MLflow server ${baseUrl} answered ${endpoint} with ${what}`, url, response.status, errorCode);
  };

  /**
   * One request, retried; `read` runs inside the slot and the timeout (for JSON, reading the whole body is
   * part of the attempt; a download only waits for the headers).
   */
  const send = async <T>(url: string, init: RequestInit, read: (response: Response, done: () => void) => Promise<T>): Promise<T> => {
    const headers = new Headers(init.headers);
    if (authorization && new URL(url).origin === origin) headers.set('Authorization', authorization);
    for (let attempt = 1; ; attempt += 1) {
      try {
        return await attemptOnce(url, { ...init, headers }, read);
      } catch (error) {
        if (!(error instanceof Retryable)) throw error;
        if (attempt >= retry.attempts) {
          const cause = error.cause;
          if (cause instanceof RestSourceError) {
            throw new RestSourceError(`${cause.message} (gave up after ${attempt} tries)`, url, cause.status, cause.errorCode, { cause });
          }
          const reason = cause instanceof Error ? `${cause.message}${cause.cause instanceof Error ? ` (${cause.cause.message})` : ''}` : String(cause);
          throw new RestSourceError(`MLflow server ${baseUrl} could not be reached for ${url.replace(/\?.*$/u, '')}: ${reason} (gave up after ${attempt} tries)`, url, undefined, undefined, { cause });
        }
        await sleep(delayBefore(attempt, retry, error.retryAfter));
      }
    }
  };

  const attemptOnce = async <T>(url: string, init: RequestInit, read: (response: Response, done: () => void) => Promise<T>): Promise<T> => {
    await limiter.acquire();
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
    let released = false;
    const done = () => {
      if (released) return;
      released = true;
      clearTimeout(timer);
      limiter.release();
    };
    try {
      let response: Response;
      try {
        response = await options.fetch(url, { ...init, signal: controller.signal });
      } catch (error) {
        throw new Retryable(error);
      }
      if (!response.ok) {
        const error = await failure(url, response);
        if (RETRYABLE_STATUSES.has(response.status)) throw new Retryable(error, response.headers.get('retry-after'));
        throw error;
      }
      return await read(response, done);
    } finally {
      done();
    }
  };

  const readJson = async (url: string, response: Response): Promise<Json> => {
    let text: string;
    try {
      text = await response.text();
    } catch (error) {
      // The connection broke in the middle of the body: another try may get all of it.
      throw new Retryable(error);
    }
    let body: unknown;
    try {
      body = text.trim() === '' ? {} : JSON.parse(text);
    } catch {
      throw new RestSourceError(`MLflow server ${baseUrl} answered ${url.replace(/\?.*$/u, '')} with a body that is not JSON: ${text.slice(0, 200)}`, url, response.status);
    }
    if (!body || typeof body !== 'object' || Array.isArray(body)) {
      throw new RestSourceError(`MLflow server ${baseUrl} answered ${url.replace(/\?.*$/u, '')} with JSON that is not an object`, url, response.status);
    }
    return body as Json;
  };

  const getJsonAt = (url: string) => send(url, { method: 'GET', headers: { Accept: 'application/json' } }, (response) => readJson(url, response));

  return {
    baseUrl,
    getJson: (path, query) => getJsonAt(withQuery(`${baseUrl}${path}`, query)),
    postJson: (path, body) => {
      const url = `${baseUrl}${path}`;
      return send(
        url,
        { method: 'POST', headers: { 'Content-Type': 'application/json', Accept: 'application/json' }, body: JSON.stringify(body) },
        (response) => readJson(url, response),
      );
    },
    getJsonAt,
    download: (url) =>
      send(url, { method: 'GET' }, async (response, done) => {
        // The slot and the timeout cover waiting for the server, not the consumer's pace of reading.
        done();
        if (!response.body) return Readable.from([]);
        return Readable.fromWeb(response.body as import('node:stream/web').ReadableStream<Uint8Array>);
      }),
  };
};
