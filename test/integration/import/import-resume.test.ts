import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openFileCheckpoint } from '../../../functions/import/checkpoints.js';
import { importHistory } from '../../../shared/domain/import/index.js';
import type { MemoryRun, MemorySourceData } from '../../support/import-source.js';
import { createImportTarget, createMemorySource, history } from '../../support/import-source.js';
import { ENGINES } from '../../support/test-api.js';
import { readHistory } from './read-back.js';
import { PARENT, ROOT, T0, world } from './world.js';

const API = '/api/2.0/mlflow';
const LONG_RUN = '9f'.repeat(16);

/** The world with one more run, written last: a key bigger than a chunk, then two small ones. */
const withLongRun = (): MemorySourceData => {
  const base = world();
  const longRun: MemoryRun = {
    runId: LONG_RUN,
    runName: 'long',
    status: 'FINISHED',
    startTime: T0,
    endTime: T0 + 1000,
    artifactUri: `${ROOT}/12/${LONG_RUN}/artifacts`,
    lifecycleStage: 'active',
    params: [{ key: 'epochs', value: '100' }],
    tags: [],
    metrics: { a: history('a', 20_000), b: history('b', 5_000, (i) => (i % 7 === 0 ? Number.NaN : i)), c: history('c', 10) },
    datasets: [],
    modelInputs: [],
    modelOutputs: [],
  };
  return {
    ...base,
    experiments: base.experiments.map((e) => (e.experimentId === '12' ? { ...e, runs: [...e.runs, longRun] } : e)),
  };
};

const sequential = { items: 1, keysPerRun: 1, writes: 1 };
const checkpointPath = async () => join(await mkdtemp(join(tmpdir(), 'cairn-import-checkpoint-')), 'import.jsonl');

describe.each(ENGINES)('an interrupted import, resumed (%s)', (engine) => {
  it('continues where the source failed mid-run, skips finished items, and stores no point twice', async () => {
    // Prepare: the source fails on the second page of key b of the last run, after key a was written
    const { api, target } = await createImportTarget(engine);
    const path = await checkpointPath();
    const failing = createMemorySource(withLongRun(), {
      pageSize: 2000,
      beforePage: (runId, key, page) => {
        if (runId === LONG_RUN && key === 'b' && page === 1) throw new Error('connection reset by the source');
      },
    });
    const interrupted = await importHistory(failing, target, { checkpoint: await openFileCheckpoint(path), concurrency: sequential }).catch(
      (error: unknown) => error,
    );
    const halfway = (await api.call('GET', `${API}/runs/get`, { run_id: LONG_RUN })).body.run;

    // Act
    const source = createMemorySource(withLongRun(), { pageSize: 2000 });
    const resumed = await importHistory(source, target, { checkpoint: await openFileCheckpoint(path), concurrency: sequential });

    // Assess: the first attempt stopped with the source's error, leaving the run unfinished
    expect(interrupted).toBeInstanceOf(Error);
    expect((interrupted as Error).message).toBe('connection reset by the source');
    expect(halfway.info.status).toBe('RUNNING');
    // Assess: the resume skipped experiment 0, both logged models and the three runs before, reading only the last run
    expect(resumed.conflicts).toEqual([]);
    expect(resumed.counts.skipped).toBe(6);
    expect(resumed.counts.runs).toBe(1);
    expect(source.pagesRead).toBe(10 + 3 + 1);
    // Assess: every point once, in the API and in storage
    for (const [key, count] of [['a', 20_000], ['b', 5_000], ['c', 10]] as const) {
      expect(await readHistory(api, LONG_RUN, key)).toHaveLength(count);
      const chunks = await api.deps.metrics.packedHistory(LONG_RUN, key);
      expect(chunks.reduce((sum, chunk) => sum + chunk.count, 0)).toBe(count);
    }
    expect((await readHistory(api, LONG_RUN, 'b')).filter((point) => point.value === 'NaN')).toHaveLength(715);
    const done = (await api.call('GET', `${API}/runs/get`, { run_id: LONG_RUN })).body.run;
    expect(done.info).toMatchObject({ status: 'FINISHED', end_time: T0 + 1000 });
    expect(done.data.params).toEqual([{ key: 'epochs', value: '100' }]);
  });

  it('continues an import cut off while copying files, without copying the copied ones again', async () => {
    // Prepare
    const { api, target } = await createImportTarget(engine);
    const path = await checkpointPath();
    const failing = createMemorySource(world(), {
      beforeArtifact: (_, file) => {
        if (file === 'plots/ünïcode.txt') throw new Error('read timeout');
      },
    });
    await expect(importHistory(failing, target, { checkpoint: await openFileCheckpoint(path), concurrency: sequential })).rejects.toThrow(
      'read timeout',
    );
    const reads: string[] = [];

    // Act
    const resumed = await importHistory(createMemorySource(world(), { beforeArtifact: (_, file) => void reads.push(file) }), target, {
      checkpoint: await openFileCheckpoint(path),
    });

    // Assess
    expect(resumed.conflicts).toEqual([]);
    expect(reads).not.toContain('model/MLmodel');
    expect(reads).toContain('plots/ünïcode.txt');
    const file = await api.request(`/get-artifact?${new URLSearchParams({ run_id: PARENT, path: 'plots/ünïcode.txt' })}`);
    expect(await file.text()).toBe('grüße');
    expect(await readHistory(api, PARENT, 'loss')).toHaveLength(300);
  });

  it('writes a 100,000-point history whole, in order, in chunks of 16,000', async () => {
    // Prepare
    const { api, target } = await createImportTarget(engine);
    const data = withLongRun();
    const big: MemorySourceData = {
      experiments: [
        {
          ...data.experiments[1]!,
          runs: [{ ...data.experiments[1]!.runs.at(-1)!, metrics: { big: history('big', 100_000, (i) => Math.sin(i)) } }],
          loggedModels: [],
        },
      ],
    };

    // Act
    const summary = await importHistory(createMemorySource(big), target);

    // Assess
    expect(summary.counts.metricPoints).toBe(100_000);
    const points = await readHistory(api, LONG_RUN, 'big');
    expect(points).toHaveLength(100_000);
    expect(points.every((point, i) => point.step === i && point.value === Math.sin(i) && point.timestamp === T0 + i)).toBe(true);
    const chunks = await api.deps.metrics.packedHistory(LONG_RUN, 'big');
    expect(chunks.map((chunk) => chunk.count).sort((x, y) => y - x)).toEqual([16_000, 16_000, 16_000, 16_000, 16_000, 16_000, 4_000]);
    const run = (await api.call('GET', `${API}/runs/get`, { run_id: LONG_RUN })).body.run;
    expect(run.data.metrics).toEqual([{ key: 'big', value: Math.sin(99_999), timestamp: T0 + 99_999, step: 99_999 }]);
  });
});
