import { appendFile, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openFileCheckpoint } from '../../../functions/import/checkpoints.js';
import { createArtifactRootMap } from '../../../shared/domain/import/artifact-roots.js';
import { createLimiter, forEachConcurrently } from '../../../shared/domain/import/concurrency.js';

describe('artifact roots moved by an import', () => {
  it('rewrites a URI under the longest moved root, in any spelling of a local root, and nothing else', () => {
    // Prepare
    const roots = createArtifactRootMap();
    roots.add('file:///src/mlruns/1', 'mlflow-artifacts:/1');
    roots.add('file:///src/mlruns/1/abc/artifacts/', 'mlflow-artifacts:/1/abc/artifacts');

    // Act
    const rewritten = [
      'file:///src/mlruns/1/abc/artifacts/model',
      '/src/mlruns/1/abc/artifacts/model',
      'file:/src/mlruns/1/models/m-1/artifacts',
      'file:///src/mlruns/10/x',
      'runs:/abc/model',
      's3://bucket/src/mlruns/1/x',
    ].map((uri) => roots.rewrite(uri));

    // Assess
    expect(rewritten).toEqual([
      'mlflow-artifacts:/1/abc/artifacts/model',
      'mlflow-artifacts:/1/abc/artifacts/model',
      'mlflow-artifacts:/1/models/m-1/artifacts',
      undefined,
      undefined,
      undefined,
    ]);
  });
});

describe('bounded concurrency', () => {
  it('keeps at most the limit in flight, stops reading at the first failure and throws it after the rest finished', async () => {
    // Prepare
    let active = 0;
    let most = 0;
    const finished: number[] = [];
    const read: number[] = [];
    async function* items() {
      for (let i = 0; i < 100; i++) {
        read.push(i);
        yield i;
      }
    }

    // Act
    const outcome = await forEachConcurrently(items(), 3, async (i) => {
      active++;
      most = Math.max(most, active);
      await new Promise((resolve) => setTimeout(resolve, 5));
      active--;
      if (i === 4) throw new Error('item 4');
      finished.push(i);
    }).catch((error: unknown) => error);

    // Assess
    expect((outcome as Error).message).toBe('item 4');
    expect(most).toBe(3);
    expect(active).toBe(0);
    expect(read.length).toBeLessThan(10);
    expect(finished).toEqual(expect.arrayContaining([0, 1, 2, 3]));
  });

  it('a limiter never runs more than its limit, however calls arrive', async () => {
    // Prepare
    const limiter = createLimiter(2);
    let active = 0;
    let most = 0;

    // Act
    await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        limiter.run(async () => {
          active++;
          most = Math.max(most, active);
          await new Promise((resolve) => setTimeout(resolve, i % 3));
          active--;
        }),
      ),
    );

    // Assess
    expect(most).toBe(2);
  });
});

describe('the JSON-lines checkpoint', () => {
  it('remembers finished items across opens, ignores a torn last line, and writes whole lines after it', async () => {
    // Prepare
    const path = join(await mkdtemp(join(tmpdir(), 'cairn-checkpoint-')), 'nested', 'import.jsonl');
    const first = await openFileCheckpoint(path);
    await Promise.all([first.markDone('run', 'r1'), first.markDone('experiment', '1'), first.markDone('registered-model', 'Modèle "α"')]);
    await appendFile(path, '{"kind":"run","id":"r2');

    // Act
    const second = await openFileCheckpoint(path);
    await second.markDone('run', 'r3');
    const third = await openFileCheckpoint(path);

    // Assess
    expect(await third.isDone('run', 'r1')).toBe(true);
    expect(await third.isDone('registered-model', 'Modèle "α"')).toBe(true);
    expect(await third.isDone('run', 'r2')).toBe(false);
    expect(await third.isDone('run', 'r3')).toBe(true);
    expect(await third.isDone('experiment', 'r1')).toBe(false);
    expect(third.finished).toBe(4);
    const lines = (await readFile(path, 'utf8')).split('\n');
    expect(lines.at(-2)).toBe('{"kind":"run","id":"r3"}');
  });

  it('starts empty without a file, and refuses nothing on lines it does not know', async () => {
    // Prepare
    const path = join(await mkdtemp(join(tmpdir(), 'cairn-checkpoint-')), 'import.jsonl');
    await writeFile(path, 'not json\n{"kind":"table","id":"x"}\n');

    // Act
    const checkpoint = await openFileCheckpoint(path);

    // Assess
    expect(checkpoint.finished).toBe(0);
    expect(await checkpoint.isDone('run', 'x')).toBe(false);
  });
});
