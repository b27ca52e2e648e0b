import { createArtifactRootMap } from './artifact-roots.js';
import { forEachConcurrently } from './concurrency.js';
import type { ImportSource, SourceExperiment, SourceRegisteredModel } from './source.js';
import { compareCounts, compareField, compareKeyValues, toRecord, type ImportDifference } from './verify-compare.js';
import { selectedSince, type VerifyContext, type VerifyCounts, type VerifyOptions, type VerifyReport, type VerifyTarget } from './verify-context.js';
import { verifyRegisteredModel } from './verify-registry.js';
import { verifyLoggedModel, verifyRun } from './verify-runs.js';

export type { ImportDifference } from './verify-compare.js';
export type { VerifyCounts, VerifyOptions, VerifyReport, VerifyTarget } from './verify-context.js';

/**
 * `npm run import -- --verify` (issue 15): the source against what Cairn holds, read through the same stores
 * the importer writes with, item by item, and every difference found: per experiment its name, lifecycle, tags
 * and counts of runs and logged models; per run its info, every param and tag, inputs and outputs, each metric's
 * point count and checksum (verify-digest.ts) and every file's size and SHA-256; per logged model the same; per
 * registered model its description, tags, aliases and every version (verify-registry.ts). The selection
 * (experiments, models, since) is the import's: what was not imported is not expected.
 *
 * It only reads. Differences go to `onDifferences` as each item is done, and all of them to the report.
 */
export const verifyHistory = async (source: ImportSource, target: VerifyTarget, options: VerifyOptions = {}): Promise<VerifyReport> => {
  const counts: VerifyCounts = {
    experimentsTotal: 0,
    experiments: 0,
    runs: 0,
    metricPoints: 0,
    artifactFiles: 0,
    artifactBytes: 0,
    loggedModels: 0,
    registeredModels: 0,
    modelVersions: 0,
    differences: 0,
  };
  const differences: ImportDifference[] = [];
  const context: VerifyContext = {
    source,
    target,
    options,
    counts,
    roots: createArtifactRootMap(),
    concurrency: options.concurrency ?? 4,
    report(found) {
      if (found.length === 0) return;
      differences.push(...found);
      counts.differences += found.length;
      options.onDifferences?.(found);
    },
    emit() {
      options.onProgress?.({ ...counts });
    },
  };
  const everything = options.experimentIds === undefined && options.modelNames === undefined;
  const experiments: SourceExperiment[] = [];
  for await (const experiment of source.experiments()) experiments.push(experiment);

  if (everything || options.experimentIds !== undefined) {
    const wanted = options.experimentIds && new Set(options.experimentIds);
    const selected = experiments.filter((experiment) => !wanted || wanted.has(experiment.experimentId));
    counts.experimentsTotal = selected.length;
    context.emit();
    for (const experiment of selected) await verifyExperiment(context, experiment);
  }
  if (everything || options.modelNames !== undefined) {
    await mapExperimentRoots(context, experiments);
    const wanted = options.modelNames && new Set(options.modelNames);
    await forEachConcurrently(selectModels(context, wanted), context.concurrency, (model) => verifyRegisteredModel(context, model));
  }
  context.emit();
  return { counts: { ...counts }, differences };
};

/**
 * One experiment with its logged models and runs. Its counts are compared only for a whole import (with
 * `since`, Cairn rightly holds fewer); with `since`, an experiment that did not change is compared only when
 * one of its runs or models was selected, as only then the importer created it.
 */
const verifyExperiment = async (context: VerifyContext, source: SourceExperiment): Promise<void> => {
  const item = `experiment ${source.experimentId}`;
  const { experiments, runIndex, loggedModels } = context.target.tracking;
  const cairn = await experiments.get(source.experimentId);
  const changed = selectedSince(context, source.creationTime, source.lastUpdateTime);
  if (cairn?.name === source.name) context.roots.add(source.artifactLocation, cairn.artifactLocation);
  const sourceCounts = { 'active runs': 0, 'deleted runs': 0, 'active logged models': 0 };
  let childSelected = false;

  // Without the experiment in Cairn its items are only counted: one difference says it all.
  await forEachConcurrently(context.source.loggedModels(source.experimentId), context.concurrency, async (model) => {
    if (model.lifecycleStage === 'active') sourceCounts['active logged models']++;
    if (!selectedSince(context, model.creationTimestamp, model.lastUpdatedTimestamp)) return;
    childSelected = true;
    if (cairn) await verifyLoggedModel(context, model);
  });
  await forEachConcurrently(context.source.runs(source.experimentId), context.concurrency, async (run) => {
    sourceCounts[run.lifecycleStage === 'deleted' ? 'deleted runs' : 'active runs']++;
    if (!selectedSince(context, run.startTime, run.endTime)) return;
    childSelected = true;
    if (cairn) await verifyRun(context, run);
  });
  context.counts.experiments++;
  if (!changed && !childSelected) return context.emit();
  if (!cairn) {
    const runs = sourceCounts['active runs'] + sourceCounts['deleted runs'];
    context.report([{ item, aspect: 'the experiment', source: `'${source.name}' with ${runs} runs`, cairn: undefined }]);
    return context.emit();
  }
  const differences = [
    ...compareField(item, 'name', source.name, cairn.name),
    ...compareField(item, 'lifecycle stage', source.lifecycleStage, cairn.lifecycleStage),
    ...compareKeyValues(item, 'tag', toRecord(source.tags), cairn.tags),
  ];
  if (context.options.since === undefined) {
    const runs = await runIndex.runsOf(source.experimentId);
    const deleted = runs.filter((run) => run.info.lifecycleStage === 'deleted').length;
    const models = await loggedModels.listByExperiment(source.experimentId);
    differences.push(
      ...compareCounts(item, sourceCounts, { 'active runs': runs.length - deleted, 'deleted runs': deleted, 'active logged models': models.length }),
    );
  }
  context.report(differences);
  context.emit();
};

/** Experiments outside the selection still tell where their files went, for the versions' sources. */
const mapExperimentRoots = async (context: VerifyContext, experiments: readonly SourceExperiment[]) => {
  await forEachConcurrently(experiments, context.concurrency, async (source) => {
    const cairn = await context.target.tracking.experiments.get(source.experimentId);
    if (cairn?.name === source.name) context.roots.add(source.artifactLocation, cairn.artifactLocation);
  });
};

async function* selectModels(context: VerifyContext, wanted: Set<string> | undefined): AsyncGenerator<SourceRegisteredModel> {
  for await (const model of context.source.registeredModels()) {
    if (wanted && !wanted.has(model.name)) continue;
    if (!selectedSince(context, model.creationTimestamp, model.lastUpdatedTimestamp)) continue;
    yield model;
  }
}
