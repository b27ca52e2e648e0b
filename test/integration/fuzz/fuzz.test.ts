import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildFuzzApp } from '../../fuzz/app.js';
import { formatFailures } from '../../fuzz/report.js';
import { routeGaps } from '../../fuzz/routes.js';
import { runFuzz } from '../../fuzz/runner.js';
import { startFuzzSession, type FuzzSession } from '../../fuzz/session.js';
import { endpointOf } from '../../support/test-api.js';

/**
 * Issue 10's fuzz test, a small seeded run (`npm run fuzz` is the long one): requests generated from every
 * route's schema plus hostile values, against the app served over HTTP in a child process (as `npm start`
 * serves it) and through the Lambda handler behind the API Gateway shim. Every request must answer without a
 * 5xx, every 4xx in MLflow's error form, /health within 100 ms meanwhile, and a refused request must leave the
 * table as it was.
 */

const SEED = 42;

describe('every route the app serves is in the fuzzer\'s table', () => {
  it('has no route missing from test/fuzz/routes.ts and no stale row', async () => {
    // Prepare: the app with every optional part, as npm start wires it (no request is sent)
    const { app } = await buildFuzzApp({ endpoint: endpointOf('dynoxide'), tableName: 'unused' });

    // Act
    const gaps = routeGaps(app.routes);

    // Assess
    expect(gaps).toEqual({ missing: [], stale: [] });
  });
});

describe.each([
  { mode: 'node' as const, engine: 'dynoxide' as const, numRuns: 200 },
  { mode: 'lambda' as const, engine: 'dynamodb-local' as const, numRuns: 60 },
])('fuzzing the $mode path on $engine (seed 42)', ({ mode, engine, numRuns }) => {
  let session: FuzzSession;
  beforeAll(async () => {
    session = await startFuzzSession(mode, endpointOf(engine));
  });
  afterAll(async () => {
    await session?.stop();
  });

  it(`answers ${numRuns} generated requests without a 5xx, in MLflow's error form, without delaying /health or changing the table on refusal`, async () => {
    // Act
    const stats = await runFuzz(session.check, session.pools, { seed: SEED, numRuns, shrink: false, reaches: session.reaches });

    // Assess
    expect(stats.sent).toBe(numRuns);
    expect(stats.failures.size, `failures found (seed ${SEED}):\n${formatFailures(stats)}`).toBe(0);
  });
});
