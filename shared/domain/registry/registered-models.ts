import { ownValue } from '../kernel/own-records.js';
import type { ModelVersion, RegisteredModel } from './entities.js';
import { positionAt } from '../kernel/catalog.js';
import { snapshotPage } from '../kernel/snapshot-page.js';
import { PAGE_SIZES, pageSizeOf } from '../kernel/pagination.js';
import type { Visibility } from '../kernel/visibility.js';
import {
  registeredModelExists,
  registeredModelNotFound,
  validateModelName,
  validateRegistryTag,
} from './validation.js';
import {
  compareRegisteredModelKeys,
  isPromptFilter,
  parseRegisteredModelFilter,
  parseRegisteredModelOrderBy,
  readRegisteredModelSortKey,
  registeredModelMatches,
  registeredModelSortKey,
} from '../search/index.js';
import { RegisteredModelNameTaken, type RegistryPorts } from './ports.js';

type Registry = Pick<RegistryPorts, 'registry'>;
type RegistryWithClock = Pick<RegistryPorts, 'registry' | 'now'>;

export const PROMPT_TAG = 'mlflow.prompt.is_prompt';

/** Prompt models carry the model's tags into events, so webhooks can tell prompts apart as MLflow does. */
export const eventModelTags = (model: Pick<RegisteredModel, 'tags'>) =>
  model.tags[PROMPT_TAG] === undefined ? {} : { model_tags: model.tags };

export const requireModel = async (deps: Registry, name: string): Promise<RegisteredModel> => {
  const model = await deps.registry.getModelByName(name);
  if (!model) throw registeredModelNotFound(name);
  return model;
};

/**
 * With `creatorUserId` (authorization on), the creator gets MANAGE in the change that creates the model;
 * `creatorUsername` is recorded as the model's `createdBy`. Both come from the authenticated caller, never
 * from the request body.
 */
export const createRegisteredModel = async (
  deps: RegistryWithClock,
  request: { name: string; description?: string; tags: { key: string; value: string }[]; creatorUserId?: number; creatorUsername?: string },
): Promise<RegisteredModel> => {
  validateModelName(request.name);
  for (const tag of request.tags) validateRegistryTag('Registered model', tag.key, tag.value);
  const modelId = deps.registry.newModelId();
  const now = deps.now();
  const model: RegisteredModel = {
    modelId,
    name: request.name,
    creationTimestamp: now,
    lastUpdatedTimestamp: now,
    ...(request.description ? { description: request.description } : {}),
    ...(request.creatorUsername === undefined ? {} : { createdBy: request.creatorUsername }),
    tags: Object.fromEntries(request.tags.map((t) => [t.key, t.value])),
    aliases: {},
    latestVersion: 0,
    eventSeq: 0,
  };
  const { eventSeq: _, modelId: __, ...fields } = model;
  try {
    return await deps.registry.change(modelId, () => ({
      set: fields,
      claimName: model.name,
      ...(request.creatorUserId === undefined
        ? {}
        : {
            grants: [
              { subject: { kind: 'user', id: request.creatorUserId }, resource: { kind: 'registered_model', id: modelId }, permission: 'MANAGE' },
            ] as const,
          }),
      events: [
        {
          type: 'REGISTERED_MODEL_CREATED',
          data: { name: model.name, tags: model.tags, description: model.description, ...eventModelTags(model) },
        },
      ],
      result: { ...model, eventSeq: 1 },
    }));
  } catch (error) {
    if (error instanceof RegisteredModelNameTaken) throw registeredModelExists(request.name);
    throw error;
  }
};

export const renameRegisteredModel = async (deps: RegistryWithClock, name: string, newName: string) => {
  validateModelName(newName);
  const model = await requireModel(deps, name);
  if (newName === name) return model;
  try {
    await deps.registry.change(model.modelId, (current) => {
      if (!current || current.name !== name) throw registeredModelNotFound(name);
      const now = deps.now();
      return {
        set: { name: newName, lastUpdatedTimestamp: now },
        releaseName: name,
        claimName: newName,
        events: [{ type: 'REGISTERED_MODEL_RENAMED', data: { name: newName, old_name: name, ...eventModelTags(current) } }],
        result: undefined,
      };
    });
  } catch (error) {
    if (error instanceof RegisteredModelNameTaken) throw registeredModelExists(newName);
    throw error;
  }
  return requireModel(deps, newName);
};

export const updateRegisteredModel = async (deps: RegistryWithClock, name: string, description: string | undefined) => {
  const model = await requireModel(deps, name);
  await deps.registry.change(model.modelId, (current) => {
    if (!current) throw registeredModelNotFound(name);
    return {
      set: { description: description ?? '', lastUpdatedTimestamp: deps.now() },
      events: [{ type: 'REGISTERED_MODEL_UPDATED', data: { name, description: description ?? '', ...eventModelTags(current) } }],
      result: undefined,
    };
  });
  return requireModel(deps, name);
};

/** Hard delete of the model with its versions, tags and aliases; its name is free again at once. */
/** Deletes the model and its items; answers the model's id, which grants and caches were keyed by. */
export const deleteRegisteredModel = async (deps: Registry, name: string): Promise<string> => {
  const model = await requireModel(deps, name);
  await deps.registry.change(model.modelId, (current) => {
    if (!current) throw registeredModelNotFound(name);
    return {
      deleteModel: true,
      releaseName: name,
      events: [{ type: 'REGISTERED_MODEL_DELETED', data: { name, ...eventModelTags(current) } }],
      result: undefined,
    };
  });
  await deps.registry.purgeModel(model.modelId);
  return model.modelId;
};

export const setRegisteredModelTag = async (deps: Registry, name: string, key: string, value: string) => {
  validateRegistryTag('Registered model', key, value);
  const model = await requireModel(deps, name);
  await deps.registry.change(model.modelId, (current) => {
    if (!current) throw registeredModelNotFound(name);
    return {
      setTags: [{ key, value }],
      events: [{ type: 'REGISTERED_MODEL_TAG_SET', data: { name, key, value, ...eventModelTags({ tags: { ...current.tags, [key]: value } }) } }],
      result: undefined,
    };
  });
};

/** No error when the tag is absent, as in MLflow. */
export const deleteRegisteredModelTag = async (deps: Registry, name: string, key: string) => {
  const model = await requireModel(deps, name);
  if (ownValue(model.tags, key) === undefined) return;
  await deps.registry.change(model.modelId, (current) => {
    if (!current) throw registeredModelNotFound(name);
    return {
      removeTags: [key],
      events: [{ type: 'REGISTERED_MODEL_TAG_DELETED', data: { name, key, ...eventModelTags(current) } }],
      result: undefined,
    };
  });
};

/** The latest version in each stage, optionally only the given stages: what `latest_versions` shows. */
export const latestVersionsByStage = (versions: ModelVersion[], stages?: string[]): ModelVersion[] => {
  const latest = new Map<string, ModelVersion>();
  for (const version of versions) {
    if (version.deleted) continue;
    if (stages && stages.length > 0 && !stages.includes(version.currentStage)) continue;
    const current = latest.get(version.currentStage);
    if (!current || version.version > current.version) latest.set(version.currentStage, version);
  }
  return [...latest.values()].sort((a, b) => a.version - b.version);
};

/** SearchRegisteredModels; with `visible` (by model id), only the models the caller may read, left out before paging. */
export const searchRegisteredModels = async (
  deps: Registry,
  request: { filter?: string; orderBy?: string[]; maxResults?: number; pageToken?: string },
  visible?: Visibility,
) => {
  const maxResults = pageSizeOf(request.maxResults, PAGE_SIZES.searchRegisteredModels);
  const filter = parseRegisteredModelFilter(request.filter);
  const order = parseRegisteredModelOrderBy(request.orderBy);
  const scope = { kind: 'registered-models/search', request: [request.filter ?? '', request.orderBy ?? []], viewer: visible?.viewer };
  const withPrompts = isPromptFilter(filter);
  const catalog = await deps.registry.catalog();
  const { page, nextPageToken } = snapshotPage({
    snapshot: { version: catalog.version, items: catalog.models },
    pageToken: request.pageToken,
    scope,
    maxResults,
    include: (m) => (!visible || visible.sees(m.modelId)) && (withPrompts || m.tags[PROMPT_TAG] !== 'true') && registeredModelMatches(m, filter),
    keyOf: (item, version) => positionAt(item, version),
    project: registeredModelSortKey,
    readKey: readRegisteredModelSortKey,
    compare: compareRegisteredModelKeys(order),
  });
  return {
    page: page.map((model) => ({
      model,
      latest: latestVersionsByStage([...catalog.versionsOf(model.modelId)]),
    })),
    nextPageToken,
  };
};
