/** A compact text summary of a replay, for test failure messages and logs. */
import type { ReplayReport } from './replay.js';

export interface FormatOptions {
  /** Failing exchanges listed in full (default 20). */
  maxFailures?: number;
  /** Problems listed per failing exchange (default 8). */
  maxProblems?: number;
  /** Longest problem line, in characters (default 300). */
  maxLineLength?: number;
}

const clip = (text: string, max: number): string => {
  const line = text.replace(/\n/g, '\\n');
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
};

/**
 * First line: the counts. Then every failing exchange (`#n METHOD path (step)`) with its problems,
 * truncated to the limits, then the skipped exchanges with their reasons.
 */
export function formatReport(report: ReplayReport, options: FormatOptions = {}): string {
  const { maxFailures = 20, maxProblems = 8, maxLineLength = 300 } = options;
  const failures = report.results.filter((result) => !result.ok);
  const passed = report.results.length - failures.length;
  const lines = [
    `${report.fixture}: ${passed}/${report.results.length} exchanges ok, ${failures.length} failed, ${report.skipped.length} skipped`,
  ];
  for (const failure of failures.slice(0, maxFailures)) {
    lines.push(clip(`  ✗ #${failure.n} ${failure.method} ${failure.path} (${failure.step})`, maxLineLength));
    for (const problem of failure.problems.slice(0, maxProblems)) lines.push(clip(`      - ${problem}`, maxLineLength));
    if (failure.problems.length > maxProblems) lines.push(`      … ${failure.problems.length - maxProblems} more problem(s)`);
  }
  if (failures.length > maxFailures) {
    const rest = failures.slice(maxFailures).map((failure) => `#${failure.n}`);
    lines.push(clip(`  … ${rest.length} more failing exchange(s): ${rest.join(', ')}`, maxLineLength));
  }
  for (const skipped of report.skipped) lines.push(clip(`  - skipped #${skipped.n}: ${skipped.reason}`, maxLineLength));
  return lines.join('\n');
}
