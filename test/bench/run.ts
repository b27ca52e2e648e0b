/**
 * `npm run bench`: starts Cairn as `npm start` does (fresh temporary data folder, default engine, free
 * port), runs MLflow REST workloads over real HTTP, prints Cairn's figures beside the reference MLflow
 * server's (3.6, sqlite, 4 workers) and Cairn's targets, and stops the server.
 *
 * It never fails on time: the exit code is 1 only when something is functionally wrong (a non-200 answer,
 * a lost point, a wrong search result). Sizes can be lowered by environment variables (see config.ts).
 */
import os from 'node:os';
import { ENV_HELP, loadConfig, seededRandom } from './config.js';
import { createJsonClient } from './http.js';
import { pagedHistory, searchRuns } from './reads.js';
import { fmtSeconds, log, renderTable, stopwatch, type Row, type WorkloadResult } from './report.js';
import { startBenchServer, type BenchServer } from './server.js';
import { benchPrefix, createExperiment } from './setup.js';
import { concurrentWriters, logBatchSequential, logMetricSequential, type WriteContext } from './writes.js';
import { artifactTransfers } from './artifacts.js';
import { lambdaBundle } from './bundle.js';

if (process.argv.includes('--help') || process.argv.includes('-h')) {
  console.log(`Usage: npm run bench\n${ENV_HELP}`);
  process.exit(0);
}

const config = loadConfig();
const total = stopwatch();
const cpus = os.cpus();

console.log('Cairn benchmark — MLflow REST over HTTP against a local Cairn (npm start)');
console.log(`  node ${process.version} on ${process.platform}/${process.arch}, ${cpus.length} CPUs (${cpus[0]?.model.trim() ?? 'unknown'}), ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB RAM`);
console.log(`  sizes: (a) ${config.logMetricCalls} calls / ${config.logMetricSeconds} s; (b) ${config.batchCalls} × ${config.batchPoints} pts; (c) ${config.searchRuns} runs, ${config.searches} searches; (d) ${config.historyPoints} pts; (e) ${config.writers} writers × ${config.batchesPerWriter} × ${config.batchPoints} pts`);
console.log(`  reference: MLflow 3.6 server, sqlite backend, 4 workers. Verdicts are informational; exit 1 only on functional errors.`);

let server: BenchServer | undefined;
const results: WorkloadResult[] = [];
let failure: unknown;
let startMs = 0;

try {
  const startClock = stopwatch();
  log(`starting Cairn (startLocalServer, default engine, port 0, ${config.serverMode === 'process' ? 'child process' : 'in process'})`);
  server = await startBenchServer(config.serverMode);
  startMs = startClock();
  console.log(`  engine: ${server.engineKind}; Cairn at ${server.url} ${server.where}; data in ${server.dataDir}`);
  log(`Cairn is up in ${fmtSeconds(startMs)}`);

  const url = server.url;
  const random = seededRandom(config.seed);
  const setup = createJsonClient(url, { connections: 1 });
  const experimentId = await createExperiment(setup, `${benchPrefix}-writes`).finally(() => setup.close());
  const context: WriteContext = { url, config, experimentId, random };

  const workloads: [string, () => Promise<WorkloadResult>][] = [
    ['a', () => logMetricSequential(context)],
    ['b', () => logBatchSequential(context)],
    ['c', () => searchRuns(context)],
    ['d', () => pagedHistory(context)],
    ['e', () => concurrentWriters(context)],
    ['f', () => artifactTransfers(context)],
    ['g', () => lambdaBundle()],
  ];
  for (const [id, run] of workloads) {
    if (!config.only.has(id)) continue;
    const result = await run();
    results.push(result);
    log(`${result.name}: phase took ${fmtSeconds(result.phaseMs)}`);
  }
} catch (error) {
  failure = error;
} finally {
  if (server) {
    log('stopping Cairn');
    await server.stop().catch((error: unknown) => console.error(`could not stop Cairn cleanly: ${String(error)}`));
  }
}

const rows: Row[] = results.flatMap((result) => result.rows);
console.log('');
console.log(`Results (engine ${server?.engineKind ?? 'none'}, node ${process.version}, ${cpus.length} CPUs, server ${config.serverMode === 'process' ? 'in a child process' : 'in the benchmark process'})`);
console.log('');
if (rows.length > 0) console.log(renderTable(rows));
console.log('');
for (const result of results) for (const detail of result.details) console.log(`  ${detail}`);
console.log('');
console.log(`Phase times: start ${fmtSeconds(startMs)}; ${results.map((result) => `${result.name} ${fmtSeconds(result.phaseMs)}`).join('; ')}; total ${fmtSeconds(total())}`);

if (failure !== undefined) {
  console.error('');
  console.error(`FUNCTIONAL FAILURE: ${failure instanceof Error ? (failure.stack ?? failure.message) : String(failure)}`);
  process.exit(1);
}
process.exit(0);
