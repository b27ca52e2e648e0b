import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeMlruns, type FixtureExperiment, type FixtureRun, type MlrunsFixture } from '../mlruns-fixture.js';
import { richMlrunsFixture } from './rich.js';

/** The rich fixture written to a fresh temporary `mlruns` folder, with lookups into its description. */
export interface WrittenMlruns {
  readonly folder: string;
  readonly rootUri: string;
  readonly fixture: MlrunsFixture;
  experiment(id: string): FixtureExperiment;
  run(id: string): { experiment: FixtureExperiment; run: FixtureRun };
  remove(): Promise<void>;
}

export const writeTemporaryMlruns = async (fixture: MlrunsFixture = richMlrunsFixture()): Promise<WrittenMlruns> => {
  const tmp = await mkdtemp(join(tmpdir(), 'cairn-mlruns-'));
  const folder = join(tmp, 'mlruns');
  const rootUri = await writeMlruns(folder, fixture);
  return {
    folder,
    rootUri,
    fixture,
    experiment: (id) => {
      const found = fixture.experiments.find((experiment) => experiment.id === id);
      if (found === undefined) throw new Error(`no experiment ${id} in the fixture`);
      return found;
    },
    run: (id) => {
      for (const experiment of fixture.experiments) {
        const run = experiment.runs?.find((candidate) => candidate.id === id);
        if (run !== undefined) return { experiment, run };
      }
      throw new Error(`no run ${id} in the fixture`);
    },
    remove: () => rm(tmp, { recursive: true, force: true }),
  };
};

export const collect = async <T>(items: AsyncIterable<T>): Promise<T[]> => {
  const all: T[] = [];
  for await (const item of items) all.push(item);
  return all;
};

export const bytesOf = async (stream: NodeJS.ReadableStream): Promise<Buffer> => {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.from(chunk as Buffer));
  return Buffer.concat(chunks);
};
