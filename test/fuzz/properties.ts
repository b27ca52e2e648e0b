import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import type { FuzzRequest } from './arbitraries.js';
import { RequestTimeout, sendRaw, type WireResponse } from './http.js';
import { brief, toWire } from './render.js';
import type { FuzzServer } from './server.js';
import { tableDiff, type TableSnapshot } from './snapshot.js';

/** The properties of issue 10, asserted for every generated request. */
export type Property = 'no 5xx' | 'MLflow error form' | '/health within 100 ms' | 'refused request changes nothing' | 'answers at all';

export interface Violation {
  property: Property;
  detail: string;
}

export interface Outcome {
  /** HTTP status, or 0 when no answer came. */
  status: number;
  violations: Violation[];
  /** The slowest /health answer while the request was in flight. */
  healthMs: number;
  errorBodyBytes: number;
}

export interface CheckOptions {
  /** A request with no answer by then counts as a hang; the server is restarted. */
  timeoutMs: number;
  /** The issue's bound on /health. */
  healthLimitMs: number;
}

export interface FuzzTarget {
  server: FuzzServer;
  snapshot(): Promise<TableSnapshot>;
  /**
   * Whether an answer of the HTTP front itself (Node's parser refusing a request line, a header or a method
   * before any handler runs) is the product's answer: yes for the local server, no for the Lambda path, where
   * the shim's parser stands in for API Gateway's.
   */
  frontIsProduct: boolean;
  /** The Authorization header every request carries (an admin's), when the server checks credentials itself. */
  authorization?: string;
}

/** Node's parser answers a bad request itself, with no Date header (every answer of a handler has one). */
export const isFrontAnswer = (response: WireResponse) => response.headers.date === undefined;

const isReset = (error: unknown) => ['ECONNRESET', 'EPIPE'].includes((error as NodeJS.ErrnoException)?.code ?? '');

const HEALTH = { method: 'GET', target: '/health', headers: [] as [string, string][] };

/** Probes /health until the request is answered (at least once); answers the slowest probe's time. */
const probeHealth = async (url: string, answered: { done: boolean }, timeoutMs: number): Promise<number> => {
  let worst = 0;
  do {
    const started = performance.now();
    await sendRaw(url, HEALTH, timeoutMs).catch(() => undefined);
    worst = Math.max(worst, performance.now() - started);
    if (!answered.done) await sleep(5);
  } while (!answered.done);
  return worst;
};

/** Sends the request while /health is probed; a blocked event loop shows as a slow probe. */
const sendWatched = async (url: string, request: FuzzRequest, timeoutMs: number, authorization?: string) => {
  const answered = { done: false };
  const plain = toWire(request);
  const wire = authorization === undefined ? plain : { ...plain, headers: [['Authorization', authorization] as [string, string], ...plain.headers] };
  const answer = sendRaw(url, wire, timeoutMs).finally(() => (answered.done = true));
  const [response, healthMs] = await Promise.allSettled([answer, probeHealth(url, answered, timeoutMs)]);
  return { response, healthMs: healthMs.status === 'fulfilled' ? healthMs.value : timeoutMs };
};

/** Why a 4xx answer is not MLflow's error form (`{"error_code": string, "message": string}`), if it is not. */
export const errorFormProblem = (response: WireResponse): string | undefined => {
  const text = response.body.toString('utf8');
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    const who = isFrontAnswer(response) ? "Node's HTTP parser answered before the app (no Date header); " : '';
    return `${who}body is not JSON (content-type ${brief(response.headers['content-type'])}): ${brief(text, 200)}`;
  }
  const fields = body !== null && typeof body === 'object' && !Array.isArray(body) ? (body as Record<string, unknown>) : undefined;
  if (typeof fields?.error_code !== 'string' || typeof fields.message !== 'string') return `not {error_code, message}: ${brief(text, 200)}`;
  return undefined;
};

/**
 * The authorization middleware's refusals: MLflow's auth app answers 401 and 403 as text/html, not in its JSON
 * error form (auth.json, section 11 of the fixture README), and Cairn matches it on purpose, so these are exempt
 * from the error-form property. Recognised by their exact shape, so no other text/html 4xx slips through.
 */
export const isAuthorizationRefusal = (response: WireResponse): boolean => {
  const html = response.headers['content-type'] === 'text/html; charset=utf-8';
  if (response.status === 401) return html && response.headers['www-authenticate'] === 'Basic realm="mlflow"';
  return response.status === 403 && html && response.body.toString('utf8') === 'Permission denied';
};

/** A refusal is written to the audit log by design: the entry it adds is the only change it may make. */
const withoutNewAuditEntries = (before: TableSnapshot, after: TableSnapshot): TableSnapshot =>
  new Map([...after].filter(([key]) => before.has(key) || !key.startsWith('AUDIT#')));

/**
 * The checker of one target: sends a request, then judges the answer. The table is snapshotted before a
 * request and compared after it only when the request was refused (4xx); a snapshot taken after a refused
 * request serves as the next "before", so a run of refusals costs one scan each.
 */
export const createChecker = (target: FuzzTarget, options: CheckOptions) => {
  let before: TableSnapshot | undefined;
  return async (request: FuzzRequest): Promise<Outcome> => {
    const snapshot = before ?? (await target.snapshot());
    before = undefined;
    target.server.takeErrors();
    let { response, healthMs } = await sendWatched(target.server.url, request, options.timeoutMs, target.authorization);
    const violations: Violation[] = [];
    if (response.status === 'rejected') {
      // A server that refuses a request before reading its body (a 431 for a 300 KB path) closes the
      // connection while the client still writes: the client sees a reset, which is fine if the server lives.
      const alive = await sendRaw(target.server.url, HEALTH, options.timeoutMs).then((r) => r.status === 200, () => false);
      if (isReset(response.reason) && alive) return { status: 0, violations, healthMs, errorBodyBytes: 0 };
      const reason = response.reason instanceof RequestTimeout ? response.reason.message : String(response.reason);
      violations.push({ property: 'answers at all', detail: alive ? reason : `${reason}; the server is gone` });
      // A hang may be a server stuck for minutes, a dead one answers nothing: start a new one.
      if (!alive) await target.server.restart();
      return { status: 0, violations, healthMs, errorBodyBytes: 0 };
    }
    const answer = response.value;
    if (answer.status >= 500) {
      const causes = target.server.takeErrors();
      const cause = causes.length > 0 ? causes.join('; ') : 'no error logged';
      violations.push({ property: 'no 5xx', detail: `${cause} (answered ${answer.status} ${brief(answer.body.toString('utf8'), 200)})` });
    }
    let errorBodyBytes = 0;
    if (answer.status >= 400 && answer.status < 500) {
      errorBodyBytes = answer.body.length;
      const front = !target.frontIsProduct && isFrontAnswer(answer);
      const refusal = isAuthorizationRefusal(answer);
      const problem = request.method === 'HEAD' || front || refusal ? undefined : errorFormProblem(answer);
      if (problem) violations.push({ property: 'MLflow error form', detail: `${answer.status}: ${problem}` });
      const after = await target.snapshot();
      const changes = tableDiff(snapshot, refusal ? withoutNewAuditEntries(snapshot, after) : after);
      if (changes.length > 0) violations.push({ property: 'refused request changes nothing', detail: `${answer.status} but ${changes.slice(0, 5).join(', ')}${changes.length > 5 ? ` and ${changes.length - 5} more` : ''}` });
      before = after;
    }
    // Twice more, to tell a request that blocks the loop (slow every time) from a pause of the machine (GC,
    // another process on the same cores).
    const lags = [healthMs];
    for (let attempt = 0; attempt < 2 && healthMs > options.healthLimitMs; attempt++) {
      const again = await sendWatched(target.server.url, request, options.timeoutMs, target.authorization);
      before = undefined;
      lags.push(again.healthMs);
      healthMs = Math.min(healthMs, again.healthMs);
    }
    if (healthMs > options.healthLimitMs) {
      violations.push({ property: '/health within 100 ms', detail: `/health took ${lags.map((ms) => Math.round(ms)).join(', ')} ms in ${lags.length} tries` });
    }
    return { status: answer.status, violations, healthMs, errorBodyBytes };
  };
};
