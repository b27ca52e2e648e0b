import { appendToUri } from '../artifacts/artifact-locations.js';
import type { Experiment } from '../tracking/entities.js';
import type { ImportContext } from './context.js';
import type { SourceExperiment } from './source.js';

/**
 * An experiment keeps its id, name, tags, times and lifecycle. Cairn's copy gets its artifact root in Cairn's
 * store, `<default root>/<id>`, as experiments created here do. An experiment already in Cairn with the same id
 * and name is the same experiment (an earlier or interrupted import): its tags are brought up to the source's.
 * The same id under another name, or the name under another id, is a conflict: reported, and the experiment
 * with its runs and models skipped.
 */
export const ensureExperiment = async (context: ImportContext, source: SourceExperiment): Promise<Experiment | undefined> => {
  const { experiments, now, defaultArtifactRoot } = context.target.tracking;
  const existing = await experiments.get(source.experimentId);
  if (existing) return adopt(context, source, existing);
  const holder = await experiments.getByName(source.name);
  if (holder) return refuse(context, source, `its name is held by experiment ${holder.experimentId} in Cairn`);
  const created = now();
  const experiment: Experiment = {
    experimentId: source.experimentId,
    name: source.name,
    artifactLocation: appendToUri(defaultArtifactRoot, source.experimentId),
    lifecycleStage: 'active',
    creationTime: source.creationTime ?? created,
    lastUpdateTime: source.lastUpdateTime ?? source.creationTime ?? created,
    tags: Object.fromEntries(source.tags.map((tag) => [tag.key, tag.value])),
  };
  if (!(await experiments.createIfMissing(experiment))) {
    // Created meanwhile by someone else, under this id or this name: judged as if it had been there before.
    const raced = await experiments.get(source.experimentId);
    return raced ? adopt(context, source, raced) : refuse(context, source, 'its name was taken in Cairn during the import');
  }
  await reserveId(context, source.experimentId);
  context.roots.add(source.artifactLocation, experiment.artifactLocation);
  context.counts.experiments++;
  context.emit('experiments', `experiment ${source.experimentId}`);
  return experiment;
};

/** The source's lifecycle, last (its runs and models were written while it was active). */
export const finishExperiment = async (context: ImportContext, source: SourceExperiment, experiment: Experiment): Promise<void> => {
  if (source.lifecycleStage === 'deleted' && experiment.lifecycleStage === 'active') {
    await context.target.tracking.experiments.setLifecycle(source.experimentId, 'active', 'deleted', context.target.tracking.now());
  }
};

const adopt = async (context: ImportContext, source: SourceExperiment, existing: Experiment): Promise<Experiment | undefined> => {
  if (existing.name !== source.name) {
    return refuse(context, source, `experiment ${source.experimentId} is '${existing.name}' in Cairn, '${source.name}' in the source`);
  }
  for (const tag of source.tags) {
    if (existing.tags[tag.key] !== tag.value) await context.target.tracking.experiments.setTag(existing.experimentId, tag.key, tag.value);
  }
  await reserveId(context, source.experimentId);
  context.roots.add(source.artifactLocation, existing.artifactLocation);
  context.counts.experiments++;
  context.emit('experiments', `experiment ${source.experimentId}`);
  return existing;
};

const refuse = (context: ImportContext, source: SourceExperiment, reason: string): undefined => {
  context.conflict('experiment', source.experimentId, `experiment '${source.name}' (${source.experimentId}) not imported: ${reason}`);
  return undefined;
};

/**
 * Cairn numbers new experiments from a counter: past an imported id, so that no experiment created later
 * collides with it. Ids too big to count exactly (MLflow's file store draws random 18-digit ids) are left out;
 * the counter cannot reach them anyway.
 */
const reserveId = async (context: ImportContext, experimentId: string) => {
  const id = Number(experimentId);
  if (/^\d+$/.test(experimentId) && Number.isSafeInteger(id)) await context.target.tracking.experiments.reserveIdsThrough(id);
};
