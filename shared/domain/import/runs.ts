import { appendToUri } from '../artifacts/artifact-locations.js';
import { RUN_NAME_TAG, type Experiment, type RunInfo } from '../tracking/entities.js';
import { ParamValuesChanged, type RunScope } from '../tracking/ports.js';
import { copyArtifacts } from './artifact-copy.js';
import type { ImportContext } from './context.js';
import { writeRunMetrics } from './metric-history.js';
import type { SourceRun } from './source.js';

/**
 * One run, in the order the stores allow and a reader would expect: created active and RUNNING (so a run cut
 * off halfway reads as unfinished), then params and tags, its full metric history, inputs and outputs, its
 * files, then its status and end time, and last its lifecycle. Run id, start and end time, status, user and the
 * `mlflow.parentRunId` tag (parent/child links) are the source's.
 *
 * Written again after an interruption: `create` is skipped for a run that exists in the same experiment, params
 * are put only if equal, tags are upserts, metric chunks are content-addressed, files of the same size are not
 * copied again. A run id held by a run of another experiment, a run deleted in Cairn but not in the source, or a
 * param whose value differs is a conflict: reported, the run left as it is.
 */
export const importRun = async (context: ImportContext, run: SourceRun, experiment: Experiment): Promise<void> => {
  if (await context.checkpoint.isDone('run', run.runId)) {
    context.counts.skipped++;
    return;
  }
  const { runs, now } = context.target.tracking;
  const scope: RunScope = { runId: run.runId, experimentId: experiment.experimentId };
  const existing = await runs.getInfo(run.runId);
  if (existing && existing.experimentId !== experiment.experimentId) {
    return conflict(context, run, `run ${run.runId} is in experiment ${existing.experimentId} in Cairn`);
  }
  if (existing?.lifecycleStage === 'deleted') {
    if (run.lifecycleStage !== 'deleted') return conflict(context, run, `run ${run.runId} is deleted in Cairn and active in the source`);
    // Deleted by an interrupted import: written again while active, deleted again at the end.
    await runs.setLifecycle(scope, 'active', now());
  }
  const tags = runTags(run);
  const info: RunInfo = {
    runId: run.runId,
    experimentId: experiment.experimentId,
    runName: run.runName ?? tags.find((tag) => tag.key === RUN_NAME_TAG)?.value ?? '',
    userId: run.userId ?? '',
    status: 'RUNNING',
    startTime: run.startTime ?? 0,
    artifactUri: existing?.artifactUri ?? appendToUri(experiment.artifactLocation, run.runId, 'artifacts'),
    lifecycleStage: 'active',
  };
  if (!existing) await runs.create(info, [], now());
  context.roots.add(run.artifactUri, info.artifactUri);

  try {
    await context.writes.run(() => runs.logData(scope, { params: [...run.params], tags }, now()));
  } catch (error) {
    if (!(error instanceof ParamValuesChanged)) throw error;
    const keys = error.conflicts.map((c) => `${c.key} ('${c.oldValue}' in Cairn, '${c.newValue}' in the source)`).join(', ');
    return conflict(context, run, `run ${run.runId} has other values of params in Cairn: ${keys}`);
  }
  await writeRunMetrics(context, scope, run.metricKeys);
  await writeInputsAndOutputs(context, scope, run);
  await copyArtifacts(context, `run ${run.runId}`, run.artifactUri, info.artifactUri, existing !== undefined);

  await runs.updateInfo({ ...info, status: run.status, ...(run.endTime === undefined ? {} : { endTime: run.endTime }) }, now());
  if (run.lifecycleStage === 'deleted') await runs.setLifecycle(scope, 'deleted', now());
  await context.checkpoint.markDone('run', run.runId);
  context.counts.runs++;
  context.emit('runs', `run ${run.runId}`);
};

/** The source's tags, with the name tag MLflow keeps beside a run's name when the source left it out. */
const runTags = (run: SourceRun): { key: string; value: string }[] => {
  const tags = run.tags.map((tag) => ({ key: tag.key, value: tag.value }));
  if (run.runName !== undefined && !tags.some((tag) => tag.key === RUN_NAME_TAG)) tags.push({ key: RUN_NAME_TAG, value: run.runName });
  return tags;
};

const writeInputsAndOutputs = async (context: ImportContext, scope: RunScope, run: SourceRun) => {
  const { runs, now } = context.target.tracking;
  if (run.datasets.length > 0 || run.modelInputs.length > 0) {
    const datasets = run.datasets.map((input) => ({
      dataset: {
        name: input.name,
        digest: input.digest,
        sourceType: input.sourceType,
        source: input.source,
        ...(input.schema === undefined ? {} : { schema: input.schema }),
        ...(input.profile === undefined ? {} : { profile: input.profile }),
      },
      tags: input.tags.map((tag) => ({ key: tag.key, value: tag.value })),
    }));
    await context.writes.run(() => runs.logInputs(scope, datasets, [...run.modelInputs], now()));
  }
  if (run.modelOutputs.length > 0) {
    await context.writes.run(() => runs.logOutputs(scope, run.modelOutputs.map((o) => ({ modelId: o.modelId, step: o.step })), now()));
  }
};

const conflict = (context: ImportContext, run: SourceRun, reason: string) => {
  context.conflict('run', run.runId, reason);
};
