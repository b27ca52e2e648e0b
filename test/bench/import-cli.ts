/**
 * `npm run import` end to end into a running `npm start` (issue 15): an mlruns folder of 1,000,000 metric points
 * (MLflow's file-store layout, written by the test fixture), imported by the command as a user runs it, once into
 * the server's data folder (the command connects to its engine) and once by the server's URL (discovery). Prints
 * the rate the command reports (points per minute while importing) and the wall-clock time of the whole command;
 * never fails on time (target ≥ 1,000,000 points per minute). Exit 1 only when an import or its --verify fails.
 *
 *   npx tsx test/bench/import-cli.ts            (BENCH_IMPORT_POINTS=200000 for a quicker look)
 */
import { spawn } from 'node:child_process';
import os from 'node:os';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { fixtureRunId, writeMlruns, type FixtureRun, type MlrunsFixture } from '../support/mlruns-fixture.js';

const TOTAL = Number(process.env.BENCH_IMPORT_POINTS ?? 1_000_000);
const REPO = fileURLToPath(new URL('../../', import.meta.url));
const T0 = 1_700_000_000_000;

interface Shape {
  readonly name: string;
  readonly experimentId: string;
  readonly runs: number;
  readonly keys: number;
}

const SHAPES: Shape[] = [
  { name: 'training runs: 20 runs × 5 keys', experimentId: '1', runs: 20, keys: 5 },
  { name: 'one long history: 1 run × 1 key', experimentId: '2', runs: 1, keys: 1 },
];

const fixtureOf = (shape: Shape): MlrunsFixture => {
  const perKey = Math.floor(TOTAL / (shape.runs * shape.keys));
  const runs: FixtureRun[] = Array.from({ length: shape.runs }, (_, r) => ({
    id: fixtureRunId(`bench-${shape.experimentId}-${r}`),
    name: `run-${r}`,
    status: 'FINISHED',
    startTime: T0,
    endTime: T0 + 600_000,
    params: { lr: '0.01' },
    metrics: Object.fromEntries(
      Array.from({ length: shape.keys }, (_, k) => [`metric_${k}`, Array.from({ length: perKey }, (_, i) => ({ timestamp: T0 + i, step: i, value: Math.sin(i + k) }))]),
    ),
    artifacts: { 'model/MLmodel': 'flavors: {}\n' },
  }));
  return { experiments: [{ id: shape.experimentId, name: `bench ${shape.name}`, creationTime: T0, runs }] };
};

const run = (args: string[], onLine?: (line: string) => void) =>
  new Promise<{ code: number | null; stdout: string; stderr: string; ms: number }>((resolve) => {
    const started = performance.now();
    const child = spawn('npx', ['tsx', ...args], { cwd: REPO, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (text: string) => {
      stdout += text;
      for (const line of text.split('\n')) if (line) onLine?.(line);
    });
    child.stderr.setEncoding('utf8').on('data', (text: string) => (stderr += text));
    child.once('close', (code) => resolve({ code, stdout, stderr, ms: performance.now() - started }));
  });

/** `npm start` as a child process; resolves with its URL once it serves. */
const startServer = (dataDir: string) =>
  new Promise<{ url: string; stop: () => Promise<void> }>((resolve, reject) => {
    // node itself (not npx), so that Ctrl-C reaches the server alone and it stops its engine as on a terminal.
    const child = spawn(process.execPath, ['--import', 'tsx', 'functions/local/main.ts', '--data-dir', dataDir, '--port', '0'], { cwd: REPO, stdio: ['ignore', 'pipe', 'inherit'] });
    let output = '';
    child.stdout.setEncoding('utf8').on('data', (text: string) => {
      output += text;
      const url = /MLFLOW_TRACKING_URI=(\S+)/.exec(output)?.[1];
      if (url) {
        resolve({
          url,
          stop: () =>
            new Promise<void>((done) => {
              child.once('close', () => done());
              child.kill('SIGINT');
            }),
        });
      }
    });
    child.once('close', (code) => reject(new Error(`npm start exited (${String(code)}) before serving:\n${output}`)));
  });

const root = await mkdtemp(join(tmpdir(), 'cairn-bench-import-cli-'));
let failed = false;
try {
  const folders = new Map<Shape, string>();
  for (const shape of SHAPES) {
    const folder = join(root, `mlruns-${shape.experimentId}`);
    await writeMlruns(folder, fixtureOf(shape));
    folders.set(shape, folder);
  }
  const cpus = os.cpus();
  console.log(`npm run import into a running npm start, node ${process.version}, ${cpus.length} CPUs (${cpus[0]?.model.trim() ?? 'unknown'})`);
  console.log(`${TOTAL.toLocaleString('en')} points per source; target ≥ 1,000,000 points per minute (informational)\n`);
  for (const [mode, index] of [['data folder', 0], ['URL', 1]] as const) {
    const dataDir = join(root, `data-${index}`);
    const server = await startServer(dataDir);
    try {
      for (const shape of SHAPES) {
        const to = mode === 'URL' ? server.url : dataDir;
        const imported = await run(['functions/import/main.ts', '--from', folders.get(shape)!, '--to', to, '--checkpoint', join(root, `checkpoint-${index}-${shape.experimentId}.jsonl`)]);
        const rate = /metric points +([\d,]+) \(([\d,]+) per minute\)/.exec(imported.stdout);
        const verified = await run(['functions/import/main.ts', '--from', folders.get(shape)!, '--to', to, '--verify']);
        if (imported.code !== 0 || verified.code !== 0) {
          failed = true;
          console.log(imported.stdout, imported.stderr, verified.stdout, verified.stderr);
        }
        const wallPerMinute = (Number(rate?.[1]?.replaceAll(',', '') ?? 0) * 60_000) / imported.ms;
        console.log(
          `into ${mode.padEnd(11)} ${shape.name.padEnd(34)} ${rate?.[1] ?? '?'} points: ${rate?.[2] ?? '?'} points/min while importing, ` +
            `${Math.round(wallPerMinute).toLocaleString('en')} points/min over the whole command (${(imported.ms / 1000).toFixed(1)} s); verify ${verified.code === 0 ? 'matches' : 'DIFFERS'} (${(verified.ms / 1000).toFixed(1)} s)`,
        );
      }
    } finally {
      await server.stop();
    }
  }
} finally {
  await rm(root, { recursive: true, force: true });
}
process.exit(failed ? 1 : 0);
