import type { Experiment } from '../tracking/entities.js';
import { forEachConcurrently } from './concurrency.js';
import { changedSince, createImportContext, type ImportContext } from './context.js';
import { ensureExperiment, finishExperiment } from './experiments.js';
import { importLoggedModel } from './logged-models.js';
import type { ImportOptions, ImportSummary, ImportTarget } from './ports.js';
import { importRegisteredModel } from './registered-models.js';
import { importRun } from './runs.js';
import type { ImportSource, SourceExperiment, SourceRegisteredModel } from './source.js';

/**
 * Issue 15's importer: everything `source` yields, written into Cairn through the domain's stores, ids kept.
 * Experiments two at a time (each with its logged models, then its runs, several at once), then registered
 * models (after the runs and logged models their versions refer to).
 *
 * Idempotent and resumable: every item is written so that writing it again changes nothing (see runs.ts,
 * metric-history.ts, registered-models.ts), and the checkpoint lets a resumed import skip finished items without
 * reading them. A failure of the source or of Cairn stops the import (finished items stay finished); what Cairn
 * already holds differently is a conflict: reported in the summary, the item skipped, the import going on.
 */
export const importHistory = async (source: ImportSource, target: ImportTarget, options: ImportOptions = {}): Promise<ImportSummary> => {
  const context = createImportContext(source, target, options);
  const everything = options.experimentIds === undefined && options.modelNames === undefined;
  const experiments: SourceExperiment[] = [];
  for await (const experiment of source.experiments()) experiments.push(experiment);

  if (everything || options.experimentIds !== undefined) {
    const wanted = options.experimentIds && new Set(options.experimentIds);
    const selected = experiments.filter((experiment) => !wanted || wanted.has(experiment.experimentId));
    for (const id of wanted ?? []) {
      if (!experiments.some((experiment) => experiment.experimentId === id)) context.warn(`experiment ${id}`, 'the source has no such experiment');
    }
    context.counts.experimentsTotal = selected.length;
    context.emit('experiments');
    // Two at once: histories of many small experiments are common, and each experiment's items run concurrently anyway.
    await forEachConcurrently(selected, Math.min(2, context.concurrency.items), (experiment) => importExperiment(context, experiment));
  }

  if (everything || options.modelNames !== undefined) {
    await mapExistingRoots(context, experiments);
    const wanted = options.modelNames && new Set(options.modelNames);
    const seen = new Set<string>();
    await forEachConcurrently(selectModels(source.registeredModels(), wanted, seen), context.concurrency.items, (model) =>
      importRegisteredModel(context, model),
    );
    for (const name of wanted ?? []) if (!seen.has(name)) context.warn(`model ${name}`, 'the source has no such registered model');
  }

  context.emit('done');
  return { counts: { ...context.counts }, conflicts: [...context.conflicts], warnings: [...context.warnings] };
};

/**
 * One experiment: created (or found) when it changed in the selected time, else only once one of its runs or
 * models is selected; its logged models, its runs, then its lifecycle. Marked finished only when nothing of it
 * was a conflict, so a resolved conflict is retried by the next import.
 */
const importExperiment = async (context: ImportContext, source: SourceExperiment): Promise<void> => {
  if (await context.checkpoint.isDone('experiment', source.experimentId)) {
    context.counts.skipped++;
    return;
  }
  let conflicted = false;
  const scoped: ImportContext = {
    ...context,
    conflict(kind, id, reason) {
      conflicted = true;
      context.conflict(kind, id, reason);
    },
  };
  let target: Promise<Experiment | undefined> | undefined;
  const ensure = () => (target ??= ensureExperiment(scoped, source));
  if (changedSince(context, source.creationTime, source.lastUpdateTime) && !(await ensure())) return;
  const { items } = context.concurrency;

  await forEachConcurrently(context.source.loggedModels(source.experimentId), items, async (model) => {
    if (!changedSince(context, model.creationTimestamp, model.lastUpdatedTimestamp)) return;
    const experiment = await ensure();
    if (experiment) await importLoggedModel(scoped, model, experiment);
  });
  await forEachConcurrently(context.source.runs(source.experimentId), items, async (run) => {
    if (!changedSince(context, run.startTime, run.endTime)) return;
    const experiment = await ensure();
    if (experiment) await importRun(scoped, run, experiment);
  });

  const experiment = await target;
  if (experiment) await finishExperiment(context, source, experiment);
  if (!conflicted) await context.checkpoint.markDone('experiment', source.experimentId);
};

/**
 * Experiments imported earlier (skipped now, or outside a `--models` selection) still tell where their files went,
 * so versions registered from their runs get their sources rewritten: an experiment in Cairn with the same id and
 * name is that experiment.
 */
const mapExistingRoots = async (context: ImportContext, experiments: readonly SourceExperiment[]) => {
  await forEachConcurrently(experiments, context.concurrency.writes, async (source) => {
    const existing = await context.target.tracking.experiments.get(source.experimentId);
    if (existing?.name === source.name) context.roots.add(source.artifactLocation, existing.artifactLocation);
  });
};

async function* selectModels(models: AsyncIterable<SourceRegisteredModel>, wanted: Set<string> | undefined, seen: Set<string>) {
  for await (const model of models) {
    if (wanted && !wanted.has(model.name)) continue;
    seen.add(model.name);
    yield model;
  }
}
