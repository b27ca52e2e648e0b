import { invalidParameter } from '../../errors/index.js';
import { pythonJsonDumps } from '../kernel/python-json.js';
import { ownValue, withoutKey } from '../kernel/own-records.js';
import { DELETED_STAGE, type ModelVersion, type RegisteredModel } from './entities.js';
import type { RegistryEventType } from './events.js';
import { eventModelTags, requireModel } from './registered-models.js';
import type { RegistryChange, RegistryPorts, StoredVersion } from './ports.js';
import { moveToStage } from './stage-moves.js';
import { modelVersionNotFound, parseStage, parseVersion, registeredModelNotFound, validateRegistryTag, validateSource } from './validation.js';

type Registry = Pick<RegistryPorts, 'registry'>;
type RegistryWithClock = Pick<RegistryPorts, 'registry' | 'now'>;

const MODEL_VERSIONS_TAG = 'mlflow.modelVersions';

/** The version, which must exist and not be deleted. */
export const requireVersion = async (deps: Registry, name: string, version: string | number) => {
  const number = parseVersion(version);
  const model = await requireModel(deps, name);
  const found = await deps.registry.getVersion(model, number);
  if (!found || found.deleted) throw modelVersionNotFound(name, number);
  return { model, version: found };
};

/** Aliases that point at `version`. */
export const aliasesOf = (model: RegisteredModel, version: number) =>
  Object.entries(model.aliases).filter(([, v]) => v === version).map(([alias]) => alias);

export interface CreateModelVersionRequest {
  name: string;
  source: string;
  runId?: string;
  runLink?: string;
  description?: string;
  tags: { key: string; value: string }[];
  modelId?: string;
  /** The authenticated caller (authorization on), recorded as the version's `createdBy`; never from the body. */
  creatorUsername?: string;
}

/**
 * Where a `models:/<name>/<version>` or `models:/<name>@<alias>` source's files are: the download location of that
 * version, fixed when the new version is created, as MLflow's store does (copy_model_version sends such a source).
 * A source naming nothing is refused in MLflow's words (its store's `Unable to fetch model ...`), as a caller's mistake.
 */
const registeredSourceLocation = async (deps: Registry, source: string): Promise<string | undefined> => {
  const byVersion = /^models:\/([^/@]+)\/(\d+)\/?$/.exec(source);
  const byAlias = /^models:\/([^/@]+)@([^/]+)$/.exec(source);
  if (!byVersion && !byAlias) return undefined;
  try {
    if (byVersion) return await getModelVersionDownloadUri(deps, byVersion[1] ?? '', byVersion[2] ?? '');
    const model = await requireModel(deps, byAlias?.[1] ?? '');
    const version = ownValue(model.aliases, byAlias?.[2] ?? '');
    if (version === undefined) throw invalidParameter(`Registered model alias ${byAlias?.[2]} not found.`);
    return await getModelVersionDownloadUri(deps, model.name, String(version));
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw invalidParameter(`Unable to fetch model from model URI source artifact location '${source}'.Error: ${reason}`);
  }
};

/**
 * MLflow's CreateModelVersion: the next number (max of every number ever allocated + 1, never reused),
 * stage None, status READY. A `models:/<logged model id>` source resolves to the logged model's files, and
 * its run when none is given; with `model_id` the logged model is tagged with the new version.
 */
export const createModelVersion = async (
  deps: Pick<RegistryPorts, 'registry' | 'loggedModels' | 'now'>,
  request: CreateModelVersionRequest): Promise<ModelVersion> => {
  validateSource(request.source);
  for (const tag of request.tags) validateRegistryTag('Model version', tag.key, tag.value);
  const model = await requireModel(deps, request.name);
  const loggedModelId = request.modelId || /^models:\/(m-[0-9a-f]{32})\/?$/.exec(request.source)?.[1];
  const logged = loggedModelId ? await deps.loggedModels.get(loggedModelId) : undefined;
  if (loggedModelId && !logged) throw invalidParameter(`Logged model with ID '${loggedModelId}' not found.`);
  const copiedFrom = logged ? undefined : await registeredSourceLocation(deps, request.source);
  const created = await deps.registry.change(model.modelId, (current) => {
    if (!current) throw registeredModelNotFound(request.name);
    const now = deps.now();
    const version: StoredVersion = {
      modelId: current.modelId,
      version: current.latestVersion + 1,
      creationTimestamp: now,
      lastUpdatedTimestamp: now,
      ...(request.creatorUsername === undefined ? {} : { createdBy: request.creatorUsername }),
      currentStage: 'None',
      source: request.source,
      ...(request.runId || logged?.sourceRunId ? { runId: request.runId || logged?.sourceRunId } : {}),
      ...(request.runLink ? { runLink: request.runLink } : {}),
      ...(request.description ? { description: request.description } : {}),
      tags: Object.fromEntries(request.tags.map((t) => [t.key, t.value])),
      ...(logged ? { storageLocation: logged.artifactUri, loggedModelId: logged.modelId } : {}),
      ...(copiedFrom ? { storageLocation: copiedFrom } : {}),
      deleted: false,
    };
    return {
      set: { latestVersion: version.version, lastUpdatedTimestamp: now },
      versions: [{ version, isNew: true }],
      events: [
        {
          type: 'MODEL_VERSION_CREATED',
          version: version.version,
          data: {
            name: current.name,
            version: String(version.version),
            source: version.source,
            run_id: version.runId,
            tags: version.tags,
            description: version.description,
            ...eventModelTags(current),
          },
        },
      ],
      result: { ...version, name: current.name },
    };
  });
  if (request.modelId && logged) {
    const existing = JSON.parse(logged.tags[MODEL_VERSIONS_TAG] ?? '[]') as unknown[];
    const entries = Array.isArray(existing) ? existing : [];
    await deps.loggedModels.setTags(
      logged.modelId,
      // Written as MLflow writes it (Python's json.dumps), since clients read and rewrite this tag.
      [{ key: MODEL_VERSIONS_TAG, value: pythonJsonDumps([...entries, { name: created.name, version: created.version }]) }],
      deps.now(),
    );
  }
  return created;
};

/** What a change to one version does: the version itself and the rest of a registry change. */
type VersionChange<T> = Omit<RegistryChange<T>, 'versions' | 'events'> & {
  version?: StoredVersion;
  events: { type: RegistryEventType; data: Record<string, unknown> }[];
};

/** Changes one version inside a model change; the version must exist and not be deleted. */
const changeVersion = async <T>(
  deps: RegistryWithClock,
  name: string,
  versionText: string,
  plan: (model: RegisteredModel, version: ModelVersion, now: number) => VersionChange<T>,
): Promise<T> => {
  const number = parseVersion(versionText);
  const { model } = await requireVersion(deps, name, number);
  return deps.registry.change(model.modelId, async (current) => {
    if (!current) throw registeredModelNotFound(name);
    const version = await deps.registry.getVersion(current, number);
    if (!version || version.deleted) throw modelVersionNotFound(name, number);
    const { version: changed, events, ...change } = plan(current, version, deps.now());
    return {
      ...change,
      versions: changed ? [{ version: changed, isNew: false }] : [],
      events: events.map((event) => ({
        type: event.type,
        version: Number(event.data.version ?? number),
        data: { name: current.name, version: String(number), ...event.data, ...eventModelTags(current) },
      })),
    };
  });
};

const withoutName = ({ name: _, ...version }: ModelVersion): StoredVersion => version;

export const updateModelVersion = (deps: RegistryWithClock, name: string, version: string, description: string | undefined) =>
  changeVersion(deps, name, version, (_, current, now) => {
    const next = { ...withoutName(current), description: description ?? '', lastUpdatedTimestamp: now };
    return {
      version: next,
      events: [{ type: 'MODEL_VERSION_UPDATED', data: { description: description ?? '' } }],
      result: { ...next, name: current.name },
    };
  });

/**
 * Moves a version to a stage; with `archive_existing_versions` every other version in that stage goes to
 * Archived, in the same change while one change holds them all, else in steps before it (stage-moves.ts). The
 * reference answers 500 when archiving with a stage other than Staging/Production; a caller's mistake is a 400 here.
 */
export const transitionModelVersionStage = async (
  deps: Pick<RegistryPorts, 'registry' | 'promotions' | 'now'>,
  name: string,
  versionText: string,
  stageText: string,
  archiveExisting: boolean,
) => {
  const stage = parseStage(stageText);
  if (archiveExisting && stage !== 'Staging' && stage !== 'Production') {
    throw invalidParameter(
      `Model version transition cannot archive existing model versions because '${stage}' is not an Active stage. Valid stages are Staging, Production`,
    );
  }
  const { model, version: found } = await requireVersion(deps, name, versionText);
  const promotion = await deps.promotions?.plan(model, found, { kind: 'stage', stage }, deps.now());
  const moved = await moveToStage(deps, {
    name,
    modelId: model.modelId,
    version: found.version,
    stage,
    archiveExisting,
    ...(promotion ? { promotion } : {}),
  });
  // MLflow's store answers with the version's aliases (its entity carries them), unlike create.
  return { version: moved.version, aliases: aliasesOf(moved.model, found.version) };
};

/** Soft delete: stage Deleted_Internal, source and run redacted, its aliases removed, all in one transaction. */
export const deleteModelVersion = (deps: RegistryWithClock, name: string, version: string) =>
  changeVersion(deps, name, version, (model, current, now) => {
    const aliases = aliasesOf(model, current.version);
    return {
      version: {
        ...withoutName(current),
        currentStage: DELETED_STAGE,
        source: 'REDACTED-SOURCE-PATH',
        runId: 'REDACTED-RUN-ID',
        runLink: 'REDACTED-RUN-LINK',
        deleted: true,
        lastUpdatedTimestamp: now,
      },
      set: { lastUpdatedTimestamp: now },
      removeAliases: aliases,
      events: [
        { type: 'MODEL_VERSION_DELETED', data: {} },
        ...aliases.map((alias) => ({ type: 'MODEL_VERSION_ALIAS_DELETED' as const, data: { alias } })),
      ],
      result: undefined,
    };
  });

export const setModelVersionTag = (deps: RegistryWithClock, name: string, version: string, key: string, value: string) => {
  validateRegistryTag('Model version', key, value);
  return changeVersion(deps, name, version, (_, current) => ({
    version: { ...withoutName(current), tags: { ...current.tags, [key]: value } },
    events: [{ type: 'MODEL_VERSION_TAG_SET', data: { key, value } }],
    result: undefined,
  }));
};

/** No error when the tag is absent, as in MLflow. */
export const deleteModelVersionTag = async (deps: RegistryWithClock, name: string, version: string, key: string) => {
  const { version: found } = await requireVersion(deps, name, version);
  if (ownValue(found.tags, key) === undefined) return;
  await changeVersion(deps, name, version, (_, current) => {
    const tags = withoutKey(current.tags, key);
    return {
      version: { ...withoutName(current), tags },
      events: [{ type: 'MODEL_VERSION_TAG_DELETED', data: { key } }],
      result: undefined,
    };
  });
};

export const getModelVersionDownloadUri = async (deps: Registry, name: string, version: string) => {
  const { version: found } = await requireVersion(deps, name, version);
  return found.storageLocation ?? found.source;
};
