import { describe, it, expect } from 'vitest';
import { formatReport } from '../../support/conformance/replay.js';

describe('formatReport', () => {
  it('summarises the counts, then each failing exchange with its problems, truncated', () => {
    // Prepare
    const report = {
      fixture: 'errors',
      results: [
        { n: 1, step: 'ok', method: 'GET', path: '/a', ok: true, problems: [] },
        { n: 2, step: 'bad', method: 'POST', path: '/b', ok: false, problems: ['status: expected 200, got 404', 'p2', 'p3'] },
      ],
      skipped: [{ n: 3, reason: 'too big' }],
    };

    // Act
    const text = formatReport(report, { maxProblems: 2 });

    // Assess
    expect(text.split('\n')).toEqual([
      'errors: 1/2 exchanges ok, 1 failed, 1 skipped',
      '  ✗ #2 POST /b (bad)',
      '      - status: expected 200, got 404',
      '      - p2',
      '      … 1 more problem(s)',
      '  - skipped #3: too big',
    ]);
  });
});
