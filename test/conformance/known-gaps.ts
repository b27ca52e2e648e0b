import { replayFixture, type Exchange, type Fixture, type ReplayTarget } from '../support/conformance/index.js';

/**
 * The one place that says which recorded exchanges Cairn does not replay yet, and why. The replay test
 * fails if a listed exchange starts passing (so this list shrinks as work lands) or if any other exchange
 * fails.
 */

/** Whole route families that later issues build; their exchanges are not sent. None are left. */
export const pendingRoute = (_exchange: Exchange): string | undefined => undefined;

/**
 * Exchanges that are sent but answered differently from the reference on purpose, by fixture and `n`,
 * with the reason. Their status and error code must still match (they are compared leniently).
 */
export const lenientExchanges: Record<string, Record<number, string>> = {
  auth: {
    5: "duplicate user: the reference's message quotes its failed SQL INSERT with the password's salted hash; Cairn has no SQL to quote (and quotes no hash)",
  },
  errors: {
    17: "duplicate experiment name: the reference's message quotes its failed SQL INSERT; Cairn has no SQL to quote",
  },
};

/** Exchanges that are sent and expected to differ until the named work lands. None are left. */
export const expectedFailures: Record<string, Record<number, string>> = {};

/**
 * Replays a fixture with the gaps above applied (skipped routes, lenient messages), and sorts the results:
 * `unexpected` failures (must be none) and listed failures that pass now (must be none either).
 */
export const replayWithKnownGaps = async (
  fixture: Fixture & { flow: string },
  target: ReplayTarget,
  baseUrl?: string,
  authorization?: (exchange: Exchange) => string | undefined,
) => {
  const lenient = lenientExchanges[fixture.flow] ?? {};
  const expected = expectedFailures[fixture.flow] ?? {};
  const report = await replayFixture(fixture, target, {
    ...(baseUrl ? { baseUrl } : {}),
    skip: pendingRoute,
    messages: (exchange) => (exchange.n in lenient ? 'lenient' : 'strict'),
    ...(authorization ? { authorization } : {}),
  });
  return {
    report,
    unexpected: report.results.filter((result) => !result.ok && !(result.n in expected)),
    nowPassing: report.results.filter((result) => result.ok && result.n in expected).map((result) => result.n),
  };
};
