import fc from 'fast-check';
import { requestArbitrary, type FuzzRequest, type Pools } from './arbitraries.js';
import type { Outcome, Violation } from './properties.js';
import { describeRequest } from './render.js';
import { ROUTES, type FuzzRoute } from './routes.js';

export interface Failure {
  signature: string;
  violation: Violation;
  /** The first request that showed it, and the smallest one fast-check shrank it to (long runs). */
  request: string;
  shrunk?: string;
  count: number;
}

export interface RouteCounts {
  sent: number;
  '2xx': number;
  '3xx': number;
  '4xx': number;
  '5xx': number;
  none: number;
}

export interface FuzzStats {
  sent: number;
  shrinkSent: number;
  byRoute: Map<string, RouteCounts>;
  worstHealthMs: number;
  largestErrorBody: number;
  failures: Map<string, Failure>;
}

export interface FuzzRunOptions {
  seed: number;
  numRuns: number;
  /** Stop generating after this long (long runs). */
  timeLimitMs?: number;
  /** Shrink each new kind of failure with fast-check (slower: each step is a request), then go on. */
  shrink: boolean;
  routes?: FuzzRoute[];
  /** Only requests that pass (e.g. the methods that reach the app on the Lambda path). */
  reaches?: (request: FuzzRequest) => boolean;
  onProgress?: (stats: FuzzStats) => void;
}

type Check = (request: FuzzRequest) => Promise<Outcome>;

/**
 * One kind of failure: property, status and the start of its detail (numbers aside), and the route except
 * for answers in the wrong form, which come from one layer whatever the route (a 431 from the HTTP parser).
 */
const signatureOf = (request: FuzzRequest, outcome: Outcome, violation: Violation) =>
  `${violation.property === 'MLflow error form' ? '(any route)' : request.route} | ${violation.property} | ${outcome.status} | ${violation.detail.replace(/\d+/g, 'N').slice(0, 60)}`;

const statusClass = (status: number): keyof RouteCounts =>
  status === 0 ? 'none' : status >= 500 ? '5xx' : status >= 400 ? '4xx' : status >= 300 ? '3xx' : '2xx';

export const emptyStats = (): FuzzStats => ({
  sent: 0,
  shrinkSent: 0,
  byRoute: new Map(),
  worstHealthMs: 0,
  largestErrorBody: 0,
  failures: new Map(),
});

/**
 * Sends generated requests through `check` and records every answer. Without shrinking, a failure is recorded
 * and the run goes on (the suite reports them all). With shrinking, the first request of each new kind of failure
 * fails the property, so fast-check shrinks it; the run then resumes with the next seed, that kind now known.
 */
export const runFuzz = async (check: Check, pools: Pools, options: FuzzRunOptions, stats = emptyStats()): Promise<FuzzStats> => {
  const all = requestArbitrary(pools, options.routes ?? ROUTES);
  const arbitrary = options.reaches ? all.filter(options.reaches) : all;
  const deadline = options.timeLimitMs === undefined ? Infinity : Date.now() + options.timeLimitMs;
  let shrinking = false;
  let pending: { signature: string; request: FuzzRequest } | undefined;
  const property = fc.asyncProperty(arbitrary, async (request) => {
    const outcome = await check(request);
    if (shrinking) {
      stats.shrinkSent++;
      // Smaller candidates must fail the same property on the same route to count as the same failure.
      return !outcome.violations.some((v) => signatureOf(request, outcome, v) === pending?.signature);
    }
    stats.sent++;
    const counts = stats.byRoute.get(request.route) ?? { sent: 0, '2xx': 0, '3xx': 0, '4xx': 0, '5xx': 0, none: 0 };
    counts.sent++;
    counts[statusClass(outcome.status)]++;
    stats.byRoute.set(request.route, counts);
    stats.worstHealthMs = Math.max(stats.worstHealthMs, outcome.healthMs);
    stats.largestErrorBody = Math.max(stats.largestErrorBody, outcome.errorBodyBytes);
    if (stats.sent % 100 === 0) options.onProgress?.(stats);
    let fresh = true;
    for (const violation of outcome.violations) {
      const signature = signatureOf(request, outcome, violation);
      const known = stats.failures.get(signature);
      if (known) {
        known.count++;
        continue;
      }
      stats.failures.set(signature, { signature, violation, request: describeRequest(request), count: 1 });
      if (options.shrink && fresh) {
        fresh = false;
        shrinking = true;
        pending = { signature, request };
      }
    }
    return fresh;
  });
  let seed = options.seed;
  while (stats.sent < options.numRuns && Date.now() < deadline) {
    shrinking = false;
    const details = await fc.check(property, {
      seed,
      numRuns: options.numRuns - stats.sent,
      ...(Number.isFinite(deadline) ? { interruptAfterTimeLimit: Math.max(1, deadline - Date.now()), markInterruptAsFailure: false } : {}),
    });
    if (!details.failed || !pending) break;
    const failure = stats.failures.get(pending.signature);
    const smallest = details.counterexample?.[0];
    if (failure && smallest) failure.shrunk = describeRequest(smallest);
    pending = undefined;
    seed += 1;
  }
  return stats;
};
