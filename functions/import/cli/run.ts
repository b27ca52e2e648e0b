import { resolve } from 'node:path';
import { importHistory } from '../../../shared/domain/import/import-history.js';
import type { ImportCheckpoint, ImportCounts } from '../../../shared/domain/import/ports.js';
import { verifyHistory } from '../../../shared/domain/import/verify.js';
import { openFileCheckpoint } from '../checkpoints.js';
import { EXIT, type CliOptions } from './args.js';
import { defaultCheckpointPath } from './checkpoint-path.js';
import { createExperimentTally, type ExperimentTally } from './experiment-tally.js';
import { openSource, type OpenedSource } from './open-source.js';
import { openTarget, type OpenedTarget } from './open-target.js';
import { createPlainDisplay, createTtyDisplay, type ProgressDisplay } from './progress-display.js';
import { formatBytes, formatCount } from './progress-model.js';
import { differenceLine, importSummaryLines, verifySummaryLines } from './report.js';

export interface CliIo {
  readonly out: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
  readonly env: NodeJS.ProcessEnv;
  /** Told what to undo when the process is interrupted (the display's cursor). */
  onInterrupt(cleanup: () => void): void;
}

/** Opens both ends, runs the import or the verification, closes both ends, and answers the exit status. */
export const runCli = async (options: CliOptions, io: CliIo): Promise<number> => {
  const source = await openSource(options, io.env);
  let target: OpenedTarget | undefined;
  try {
    target = await openTarget(options.to, options.credentials, io.env);
    const opened = target;
    io.onInterrupt(() => opened.abandon());
    return options.verify ? await verify(options, io, source, target) : await runImport(options, io, source, target);
  } finally {
    await target?.close();
    await source.source.close?.();
  }
};

const displayFor = (options: CliOptions, io: CliIo, title: string): ProgressDisplay => {
  const display =
    io.out.isTTY && !options.plain
      ? createTtyDisplay({ out: io.out, title })
      : createPlainDisplay({ out: io.out, title, intervalMs: options.logIntervalSeconds * 1000 });
  io.onInterrupt(() => display.stop());
  return display;
};

const runImport = async (options: CliOptions, io: CliIo, opened: OpenedSource, target: OpenedTarget): Promise<number> => {
  const path = resolve(options.checkpoint ?? defaultCheckpointPath(target.checkpointDir, opened.identity, target.identity, options));
  const checkpoint = await openFileCheckpoint(path);
  if (checkpoint.finished > 0) io.out.write(`Resuming: ${formatCount(checkpoint.finished)} items finished by an earlier attempt (${path}).\n`);
  const display = displayFor(options, io, `Importing ${opened.source.description} into ${target.description}`);
  const tally = createExperimentTally(opened.source);
  let latest: Readonly<ImportCounts> | undefined;
  // The importer counts an experiment when it starts; the display counts it when it is finished, for the estimate.
  let experimentsFinished = 0;
  const show = () => latest && display.update({ ...latest, experiments: experimentsFinished });
  const experimentDone = (id: string) => {
    experimentsFinished++;
    display.message(experimentLine(id, tally.finished(id)));
    show();
  };
  const experimentSkipped = () => {
    experimentsFinished++;
    show();
  };
  const startedAt = Date.now();
  try {
    const summary = await importHistory(tally.source, target.target, {
      checkpoint: reportingFinished(checkpoint, experimentDone, experimentSkipped),
      ...(options.experimentIds ? { experimentIds: options.experimentIds } : {}),
      ...(options.modelNames ? { modelNames: options.modelNames } : {}),
      ...(options.since === undefined ? {} : { since: options.since }),
      onProgress: (event) => {
        if (latest && event.counts.conflicts > latest.conflicts) display.message(`conflict: ${event.item ?? 'an item'} was skipped (the summary says why)`);
        latest = event.counts;
        tally.record(event);
        show();
      },
    });
    display.stop();
    const lines = importSummaryLines(summary, Date.now() - startedAt, { checkpoint: path, sourceWarnings: opened.warnings });
    io.out.write(`${lines.join('\n')}\n`);
    return summary.conflicts.length > 0 ? EXIT.conflicts : EXIT.ok;
  } catch (error) {
    display.stop();
    throw error;
  }
};

const verify = async (options: CliOptions, io: CliIo, opened: OpenedSource, target: OpenedTarget): Promise<number> => {
  const display = displayFor(options, io, `Comparing ${opened.source.description} with ${target.description}`);
  const startedAt = Date.now();
  try {
    const report = await verifyHistory(opened.source, target.target, {
      ...(options.experimentIds ? { experimentIds: options.experimentIds } : {}),
      ...(options.modelNames ? { modelNames: options.modelNames } : {}),
      ...(options.since === undefined ? {} : { since: options.since }),
      onDifferences: (differences) => {
        for (const difference of differences) display.message(differenceLine(difference));
      },
      onProgress: (counts) => display.update(counts),
    });
    display.stop();
    io.out.write(`${verifySummaryLines(report, Date.now() - startedAt).join('\n')}\n`);
    return report.differences.length > 0 ? EXIT.differences : EXIT.ok;
  } catch (error) {
    display.stop();
    throw error;
  }
};

/** The checkpoint as it is, telling when an experiment is finished (the importer marks it last) or was earlier. */
const reportingFinished = (checkpoint: ImportCheckpoint, experimentDone: (id: string) => void, experimentSkipped: () => void): ImportCheckpoint => ({
  async isDone(kind, id) {
    const done = await checkpoint.isDone(kind, id);
    if (done && kind === 'experiment') experimentSkipped();
    return done;
  },
  async markDone(kind, id) {
    await checkpoint.markDone(kind, id);
    if (kind === 'experiment') experimentDone(id);
  },
});

/** `experiment 12 'wine' done: 40 runs, 1,200,000 metric points, 80 files (3.1 MB), 2 logged models`. */
const experimentLine = (id: string, { name, tally }: { name: string | undefined; tally: ExperimentTally }): string => {
  const parts = [
    `${formatCount(tally.runs)} runs`,
    `${formatCount(tally.metricPoints)} metric points`,
    `${formatCount(tally.artifactFiles)} files (${formatBytes(tally.artifactBytes)})`,
    `${formatCount(tally.loggedModels)} logged models`,
  ];
  return `experiment ${id}${name === undefined ? '' : ` '${name}'`} done: ${parts.join(', ')}`;
};
