/**
 * `npm run fuzz [-- --seed N] [--runs N] [--minutes M] [--engine dynoxide|dynamodb-local] [--lambda]`: a long
 * property-based run against a server of our own (an embedded DynamoDB engine, a fresh table, the app in a child
 * process), printing progress and a summary: requests per route and status class, each kind of failure with the
 * request that showed it, shrunk by fast-check, and whether /health ever lagged. Exits 1 when anything failed.
 */
import { parseArgs } from 'node:util';
import { startDynamoEngine } from '../../shared/local/dynamodb-engine.js';
import { formatSummary, progressLine } from './report.js';
import { emptyStats, runFuzz } from './runner.js';
import { DEFAULT_CHECK, startFuzzSession } from './session.js';

const { values } = parseArgs({
  options: {
    seed: { type: 'string' },
    runs: { type: 'string' },
    minutes: { type: 'string' },
    engine: { type: 'string', default: 'auto' },
    lambda: { type: 'boolean', default: false },
  },
});
const seed = values.seed === undefined ? Math.floor(Math.random() * 2 ** 31) : Number(values.seed);
const numRuns = values.runs === undefined ? Number.MAX_SAFE_INTEGER : Number(values.runs);
const minutes = values.minutes === undefined ? (values.runs === undefined ? 5 : undefined) : Number(values.minutes);
const mode = values.lambda ? 'lambda' : 'node';

const engine = await startDynamoEngine({ kind: values.engine as 'auto' });
console.log(`[fuzz] seed ${seed}, ${values.runs ?? 'unlimited'} runs, ${minutes ?? 'no'} minute limit, ${mode} path on ${engine.kind}`);
const started = Date.now();
const session = await startFuzzSession(mode, engine.endpoint);
console.log(`[fuzz] seeded ${Object.entries(session.pools).map(([pool, v]) => `${pool} ${v.length}`).join(', ')}`);
const stats = emptyStats();
try {
  await runFuzz(session.check, session.pools, {
    seed,
    numRuns,
    ...(minutes === undefined ? {} : { timeLimitMs: minutes * 60_000 }),
    shrink: true,
    reaches: session.reaches,
    onProgress: (s) => console.log(progressLine(s, Date.now() - started)),
  }, stats);
} finally {
  await session.stop();
  await engine.stop();
}
console.log(`\n[fuzz] seed ${seed} (repeat with --seed ${seed})`);
console.log(formatSummary(stats, Date.now() - started, DEFAULT_CHECK.healthLimitMs));
process.exitCode = stats.failures.size > 0 ? 1 : 0;
