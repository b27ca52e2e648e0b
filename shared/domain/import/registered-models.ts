import { DELETED_STAGE, STAGES, type ModelVersion, type RegisteredModel, type Stage } from '../registry/entities.js';
import { RegisteredModelNameTaken, type RegistryChange, type RegistryStore, type StoredVersion } from '../registry/ports.js';
import { changedSince, type ImportContext } from './context.js';
import type { SourceModelVersion, SourceRegisteredModel } from './source.js';

/**
 * A registered model keeps its name, times, description, tags and aliases, and every version its number, times,
 * stage, description, tags, run, logged model and deleted state. Written through RegistryStore.change with whole
 * versions, in changes as large as the store says fit one change (one transaction each), and with no registry events: an import
 * records history, it does not happen now, so no webhook fires and no alias or stage change deploys.
 *
 * A version's `source` is rewritten only when it points into an artifact root the import moved (artifact-roots.ts);
 * `runs:/` and `models:/` sources are kept, since run ids, logged model ids and model names are.
 *
 * A model of the same name already in Cairn is the same model when it was created at the same time and every
 * version it has matches the source's (an earlier or interrupted import): the missing versions are added and its
 * tags and aliases set. Otherwise it is a conflict: reported, and nothing of it changed.
 */

/** The most versions one change is asked to hold; fewer when the store says they do not fit (fittingCount). */
const VERSIONS_PER_CHANGE = 90;

const versionsChange = (modelId: string, batch: readonly StoredVersion[]): RegistryChange<undefined> => ({
  set: { latestVersion: highest(undefined, batch) },
  versions: batch.map((version) => ({ version: { ...version, modelId }, isNew: true })),
  events: [],
  result: undefined,
});

/** How many of `versions`, from the first, one change can write: each version costs the store several items. */
const fittingCount = (registry: RegistryStore, modelId: string, versions: readonly StoredVersion[]): number => {
  let count = Math.min(versions.length, VERSIONS_PER_CHANGE);
  while (count > 1 && !registry.fits(versionsChange(modelId, versions.slice(0, count)))) count--;
  return count;
};

export const importRegisteredModel = async (context: ImportContext, model: SourceRegisteredModel): Promise<void> => {
  if (await context.checkpoint.isDone('registered-model', model.name)) {
    context.counts.skipped++;
    return;
  }
  if (!changedSince(context, model.creationTimestamp, model.lastUpdatedTimestamp)) return;
  const { registry } = context.target.tracking;
  const versions = await Promise.all(model.versions.map((version) => toStoredVersion(context, model, version)));
  const existing = await registry.getModelByName(model.name);
  const present = existing ? await registry.listVersions(existing) : [];
  const problem = existing && differences(model, existing, present, versions);
  if (problem) return conflict(context, model, problem);

  const modelId = existing?.modelId ?? (await createModel(context, model));
  if (modelId === undefined) return;
  const numbers = new Set(present.map((version) => version.version));
  const missing = versions.filter((version) => !numbers.has(version.version));
  for (let offset = 0; offset < missing.length; ) {
    const count = fittingCount(registry, modelId, missing.slice(offset));
    const batch = missing.slice(offset, offset + count).map((version) => ({ ...version, modelId }));
    offset += count;
    await context.writes.run(() =>
      registry.change(modelId, (current) => ({
        ...versionsChange(modelId, batch),
        set: { latestVersion: highest(current?.latestVersion, batch) },
      })),
    );
    context.counts.modelVersions += batch.length;
    context.emit('registered-models', `model ${model.name}`);
  }
  const live = new Set(versions.filter((version) => !version.deleted).map((version) => version.version));
  await registry.change(modelId, (current) => ({
    set: {
      lastUpdatedTimestamp: model.lastUpdatedTimestamp,
      latestVersion: highest(current?.latestVersion, versions),
      ...(model.description === undefined ? {} : { description: model.description }),
    },
    setTags: model.tags.map((tag) => ({ key: tag.key, value: tag.value })),
    setAliases: model.aliases.filter((alias) => live.has(alias.version)),
    events: [],
    result: undefined,
  }));
  await context.checkpoint.markDone('registered-model', model.name);
  context.counts.registeredModels++;
  context.emit('registered-models', `model ${model.name}`);
};

/** Numbers are never reused: the counter stays at the highest number ever given, in Cairn or in the source. */
const highest = (latest: number | undefined, versions: readonly { version: number }[]) =>
  versions.reduce((max, version) => Math.max(max, version.version), latest ?? 0);

/** The model item and its name, with its tags; undefined (and a conflict) when another model took the name. */
const createModel = async (context: ImportContext, model: SourceRegisteredModel): Promise<string | undefined> => {
  const { registry } = context.target.tracking;
  const modelId = registry.newModelId();
  try {
    await registry.change(modelId, () => ({
      set: {
        name: model.name,
        creationTimestamp: model.creationTimestamp,
        lastUpdatedTimestamp: model.lastUpdatedTimestamp,
        ...(model.description === undefined ? {} : { description: model.description }),
        tags: Object.fromEntries(model.tags.map((tag) => [tag.key, tag.value])),
        aliases: {},
        latestVersion: 0,
      },
      claimName: model.name,
      events: [],
      result: undefined,
    }));
    return modelId;
  } catch (error) {
    if (!(error instanceof RegisteredModelNameTaken)) throw error;
    conflict(context, model, 'its name was taken in Cairn during the import');
    return undefined;
  }
};

/** Why the model in Cairn is not this one, or undefined when it is (its versions a part of the source's). */
const differences = (
  model: SourceRegisteredModel,
  existing: RegisteredModel,
  present: readonly ModelVersion[],
  versions: readonly StoredVersion[],
): string | undefined => {
  if (existing.creationTimestamp !== model.creationTimestamp) {
    return `a registered model '${model.name}' created at ${existing.creationTimestamp} is in Cairn (the source's was created at ${model.creationTimestamp})`;
  }
  const wanted = new Map(versions.map((version) => [version.version, version]));
  const differing = present.filter((version) => {
    const source = wanted.get(version.version);
    return (
      !source ||
      source.creationTimestamp !== version.creationTimestamp ||
      source.deleted !== version.deleted ||
      (!source.deleted && (source.source !== version.source || source.runId !== version.runId))
    );
  });
  if (differing.length === 0) return undefined;
  return `versions ${differing.map((v) => v.version).join(', ')} of '${model.name}' in Cairn differ from the source's`;
};

const toStoredVersion = async (context: ImportContext, model: SourceRegisteredModel, version: SourceModelVersion): Promise<StoredVersion> => {
  const source = context.roots.rewrite(version.source) ?? version.source;
  const loggedModelId = version.modelId || /^models:\/(m-[0-9a-f]{32})\/?$/.exec(version.source)?.[1];
  const storageLocation = await storageLocationOf(context, loggedModelId, version.source);
  return {
    modelId: '',
    version: version.version,
    creationTimestamp: version.creationTimestamp,
    lastUpdatedTimestamp: version.lastUpdatedTimestamp,
    ...(version.userId === undefined ? {} : { userId: version.userId }),
    currentStage: version.deleted ? DELETED_STAGE : stageOf(context, model, version),
    ...(version.description === undefined ? {} : { description: version.description }),
    source,
    ...(version.runId === undefined || version.runId === '' ? {} : { runId: version.runId }),
    ...(version.runLink === undefined || version.runLink === '' ? {} : { runLink: version.runLink }),
    ...(version.statusMessage === undefined ? {} : { statusMessage: version.statusMessage }),
    tags: Object.fromEntries(version.tags.map((tag) => [tag.key, tag.value])),
    ...(storageLocation === undefined ? {} : { storageLocation }),
    ...(loggedModelId ? { loggedModelId } : {}),
    deleted: version.deleted,
  };
};

/**
 * Where the files of a version whose source names them indirectly are, as createModelVersion fixes it: a logged
 * model's root, or the download location of the `models:/<name>/<version>` it was copied from (when that model is
 * in Cairn already).
 */
const storageLocationOf = async (context: ImportContext, loggedModelId: string | undefined, source: string) => {
  const { loggedModels, registry } = context.target.tracking;
  if (loggedModelId) return (await loggedModels.get(loggedModelId))?.artifactUri;
  const copied = /^models:\/([^/@]+)\/(\d+)\/?$/.exec(source);
  if (!copied) return undefined;
  const origin = await registry.getModelByName(copied[1] ?? '');
  const version = origin && (await registry.getVersion(origin, Number(copied[2])));
  return version && !version.deleted ? version.storageLocation ?? version.source : undefined;
};

/** MLflow's stage, in its canonical spelling; another value becomes None, and is said. */
const stageOf = (context: ImportContext, model: SourceRegisteredModel, version: SourceModelVersion): Stage => {
  const stage = STAGES.find((known) => known.toLowerCase() === version.currentStage.toLowerCase());
  if (stage) return stage;
  context.warn(`model ${model.name} version ${version.version}`, `stage '${version.currentStage}' is not one of MLflow's; imported as None`);
  return 'None';
};

const conflict = (context: ImportContext, model: SourceRegisteredModel, reason: string) => {
  context.conflict('registered-model', model.name, `registered model '${model.name}' not imported: ${reason}`);
};
