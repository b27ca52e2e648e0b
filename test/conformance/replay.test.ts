import { describe, expect, it } from 'vitest';
import { appTarget, formatReport, loadTrackingFixtures } from '../support/conformance/index.js';
import { createTestApi, ENGINES } from '../support/test-api.js';
import { replayWithKnownGaps } from './known-gaps.js';

const fixtures = await loadTrackingFixtures();

describe.each(ENGINES)('conformance replay against a fresh Cairn (%s)', (engine) => {
  it.each(fixtures.map((fixture) => [fixture.flow, fixture] as const))(
    'answers every tracking exchange of %s as the reference server did',
    async (flow, fixture) => {
      // Prepare
      const api = await createTestApi(engine);

      // Act
      const { report, unexpected, nowPassing } = await replayWithKnownGaps(
        fixture,
        appTarget({ request: (r: Request) => api.request(r.url, r) }),
      );

      // Assess
      expect(unexpected, formatReport(report)).toEqual([]);
      expect(nowPassing, 'listed in expectedFailures but passing now: remove them from known-gaps.ts').toEqual([]);
      expect(report.results.length + report.skipped.length).toBe(fixture.exchanges.length);
    },
  );
});
