import type { FuzzStats } from './runner.js';

const totals = (stats: FuzzStats) => {
  const sum = { '2xx': 0, '3xx': 0, '4xx': 0, '5xx': 0, none: 0 };
  for (const counts of stats.byRoute.values()) for (const key of Object.keys(sum) as (keyof typeof sum)[]) sum[key] += counts[key];
  return sum;
};

export const progressLine = (stats: FuzzStats, elapsedMs: number): string => {
  const t = totals(stats);
  return (
    `[fuzz] ${stats.sent} requests in ${Math.round(elapsedMs / 1000)} s: 2xx ${t['2xx']}, 3xx ${t['3xx']}, 4xx ${t['4xx']}, ` +
    `5xx ${t['5xx']}, no answer ${t.none}; ${stats.failures.size} kinds of failure; worst /health ${Math.round(stats.worstHealthMs)} ms`
  );
};

/** Every failure with the request that showed it (and its shrunk form), one block each. */
export const formatFailures = (stats: FuzzStats): string =>
  [...stats.failures.values()]
    .map(
      (f, i) =>
        `${i + 1}. ${f.violation.property} on ${f.signature.split(' | ')[0]} (${f.count}×): ${f.violation.detail}\n` +
        `   request: ${f.request}${f.shrunk ? `\n   shrunk:  ${f.shrunk}` : ''}`,
    )
    .join('\n');

export const formatSummary = (stats: FuzzStats, elapsedMs: number, healthLimitMs: number): string => {
  const rows = [...stats.byRoute.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([route, c]) => `  ${route.padEnd(62)} ${String(c.sent).padStart(6)} ${[c['2xx'], c['3xx'], c['4xx'], c['5xx'], c.none].map((n) => String(n).padStart(6)).join(' ')}`);
  const lagged = [...stats.failures.values()].filter((f) => f.violation.property === '/health within 100 ms');
  return [
    progressLine(stats, elapsedMs),
    `${stats.shrinkSent} more requests were sent while shrinking failures. "none": the server reset the connection and lived on.`,
    lagged.length > 0
      ? `/health lagged beyond ${healthLimitMs} ms in three tries after ${lagged.reduce((n, f) => n + f.count, 0)} requests (see the failures).`
      : `/health never lagged beyond ${healthLimitMs} ms in three tries of one request (slowest single probe: ${Math.round(stats.worstHealthMs)} ms).`,
    `Largest 4xx body: ${stats.largestErrorBody} bytes.`,
    '',
    `  ${'route'.padEnd(62)} ${['sent', '2xx', '3xx', '4xx', '5xx', 'none'].map((h) => h.padStart(6)).join(' ')}`,
    ...rows,
    '',
    stats.failures.size === 0 ? 'No failures.' : `Failures (${stats.failures.size} kinds):\n${formatFailures(stats)}`,
  ].join('\n');
};
