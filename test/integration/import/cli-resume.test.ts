/**
 * `npm run import` killed mid-import (SIGKILL to the whole child, as a power cut would) and run again: it
 * continues from its checkpoint, reads finished runs no more, and the target ends up holding every point, run
 * and file once. The import goes into a running `npm start` on the data folder (whose engine survives the kill).
 */
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalServer, type LocalServer } from '../../../functions/local/server.js';
import { fixtureRunId, writeMlruns, type FixtureRun, type MlrunsFixture } from '../../support/mlruns-fixture.js';
import { repositoriesOf, runCli, startCli } from './cli-harness.js';

const RUNS = 40;
const KEYS = ['loss', 'val/loss'];
const POINTS = 2000;
const T0 = 1_700_000_000_000;

const run = (index: number): FixtureRun => ({
  id: fixtureRunId(`resume-${index}`),
  name: `run-${index}`,
  status: 'FINISHED',
  startTime: T0 + index,
  endTime: T0 + index + 1000,
  params: { index: String(index) },
  metrics: Object.fromEntries(
    KEYS.map((key, k) => [key, Array.from({ length: POINTS }, (_, i) => ({ timestamp: T0 + i, step: i, value: Math.sin(i + k + index) }))]),
  ),
  artifacts: { 'model/weights.txt': `weights of run ${index}` },
});

const FIXTURE: MlrunsFixture = {
  experiments: [{ id: '1', name: 'interrupted', creationTime: T0, runs: Array.from({ length: RUNS }, (_, index) => run(index)) }],
  registeredModels: [
    { name: 'resumed-model', creationTimestamp: T0, versions: [{ version: 1, creationTimestamp: T0, source: `runs:/${fixtureRunId('resume-0')}/model`, runId: fixtureRunId('resume-0') }] },
  ],
};

/** Finished items in the checkpoint, by kind. */
const checkpointOf = async (dataDir: string): Promise<{ path?: string; runs: number; lines: number }> => {
  const files = await readdir(join(dataDir, 'imports')).catch(() => []);
  if (files.length === 0) return { runs: 0, lines: 0 };
  const path = join(dataDir, 'imports', files[0]!);
  const lines = (await readFile(path, 'utf8')).split('\n').filter((line) => line.startsWith('{'));
  return { path, runs: lines.filter((line) => line.includes('"kind":"run"')).length, lines: lines.length };
};

const waitFor = async (condition: () => Promise<boolean>, what: string, timeoutMs = 60_000) => {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
};

describe('an interrupted npm run import, run again', () => {
  let root: string;
  let server: LocalServer;
  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'cairn-import-resume-'));
    await writeMlruns(join(root, 'mlruns'), FIXTURE);
    server = await startLocalServer({ dataDir: join(root, 'data'), port: 0 });
  });
  afterAll(async () => {
    await server?.stop();
    if (root) await rm(root, { recursive: true, force: true });
  });

  it('continues where it was killed and stores every point, run and file once', async () => {
    // Prepare
    const dataDir = join(root, 'data');
    const args = ['--from', join(root, 'mlruns'), '--to', dataDir];

    // Act: killed once a few runs are finished, then run again to the end, then verified
    const first = startCli(args);
    try {
      await waitFor(async () => (await checkpointOf(dataDir)).runs >= 3, 'the first runs to finish');
    } finally {
      first.kill();
    }
    const killed = await first.done;
    const atKill = await checkpointOf(dataDir);
    const resumed = await runCli(args);
    const verified = await runCli([...args, '--verify']);

    // Assess: the first attempt died part-way
    expect(killed.signal ?? killed.code).toBe('SIGKILL');
    expect(atKill.runs).toBeGreaterThanOrEqual(3);
    expect(atKill.runs).toBeLessThan(RUNS);

    // Assess: the second continued, reading none of the finished runs again
    expect(resumed.stderr).toBe('');
    expect(resumed.code).toBe(0);
    expect(resumed.stdout).toContain(`Resuming: ${atKill.lines} items finished by an earlier attempt (${atKill.path}).`);
    expect(resumed.stdout).toMatch(new RegExp(`^  runs +${RUNS - atKill.runs}$`, 'm'));
    expect(resumed.stdout).toMatch(new RegExp(`^  finished earlier +${atKill.lines} items`, 'm'));
    expect((await checkpointOf(dataDir)).runs).toBe(RUNS);
    expect(verified.stdout).toMatch(/^Source and Cairn match: compared 1 experiments, 40 runs, 160,000 metric points, 40 files/m);
    expect(verified.code).toBe(0);

    // Assess: nothing stored twice: every key's stored chunks hold its points once, every run and file once
    const { deps, close } = repositoriesOf(server);
    try {
      expect(await deps.runIndex.runsOf('1')).toHaveLength(RUNS);
      for (let index = 0; index < RUNS; index++) {
        const runId = fixtureRunId(`resume-${index}`);
        for (const key of KEYS) {
          const chunks = await deps.metrics.packedHistory(runId, key);
          expect(chunks.reduce((sum, chunk) => sum + chunk.count, 0), `${runId} ${key}`).toBe(POINTS);
        }
        // As clients list them (a file cut off by the kill leaves only the store's hidden temporary file).
        const listed = await fetch(`${server.url}/api/2.0/mlflow/artifacts/list?run_id=${runId}&path=model`);
        expect(((await listed.json()) as { files: unknown[] }).files).toEqual([{ path: 'model/weights.txt', is_dir: false, file_size: `weights of run ${index}`.length }]);
      }
      const model = await deps.registry.getModelByName('resumed-model');
      expect(await deps.registry.listVersions(model!)).toHaveLength(1);
    } finally {
      close();
    }
  });
});
