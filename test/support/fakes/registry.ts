import { recordOf } from '../../../shared/domain/kernel/own-records.js';
import type { Grant } from '../../../shared/domain/auth/entities.js';
import type { ModelVersion, RegisteredModel } from '../../../shared/domain/registry/entities.js';
import { eventLogPosition, type RegistryEvent } from '../../../shared/domain/registry/events.js';
import {
  RegisteredModelNameTaken,
  type LoggedModelLinks,
  type RegistryChange,
  type RegistryEvents,
  type RegistryPorts,
  type RegistryStore,
  type StoredVersion,
} from '../../../shared/domain/registry/ports.js';
import { createDeploymentTables, type DeploymentTables } from './deployments.js';

/**
 * An in-memory registry with the table's rules: a change applies whole or not at all, with its events at
 * the model's next positions; a change planned on a model that has moved on since is planned again (the
 * optimistic `eventSeq` guard); a name another model holds fails the change with RegisteredModelNameTaken.
 * Maps read back as prototype-less records, as the table's codec gives them, so keys like `__proto__` hold.
 */

type StoredModel = RegisteredModel & { deleted?: boolean };

export interface MemoryRegistry {
  readonly registry: RegistryStore;
  readonly registryEvents: RegistryEvents;
  /** Every event recorded, in log order. */
  readonly events: RegistryEvent[];
  /** Model id → name guard, as the table holds it. */
  readonly names: Map<string, string>;
  /** How many times a plan was run again after a concurrent change. */
  readonly retries: () => number;
  /** The grants changes wrote (the creator's MANAGE on a new model), in order. */
  readonly grants: Grant[];
}

export interface MemoryRegistryOptions {
  readonly now?: () => number;
  /** The deployment items a change writes (policy, requested deployment, endpoint's latest request). */
  readonly deployments?: DeploymentTables;
  /** How many versions one change may write (RegistryStore.fits); unbounded by default. */
  readonly versionsPerChange?: number;
}

const modelCopy = (model: StoredModel): RegisteredModel => {
  const { deleted: _, ...rest } = structuredClone(model);
  return { ...rest, tags: recordOf(Object.entries(model.tags)), aliases: recordOf(Object.entries(model.aliases)) };
};

const versionCopy = (version: StoredVersion, name: string): ModelVersion => ({
  ...structuredClone(version),
  tags: recordOf(Object.entries(version.tags)),
  name,
});

export const createMemoryRegistry = (options: MemoryRegistryOptions = {}): MemoryRegistry => {
  const now = options.now ?? (() => Date.now());
  const tables = options.deployments ?? createDeploymentTables();
  const models = new Map<string, StoredModel>();
  const names = new Map<string, string>();
  const versions = new Map<string, Map<number, StoredVersion>>();
  const events: RegistryEvent[] = [];
  const grants: Grant[] = [];
  let nextId = 0;
  let retries = 0;

  const live = (modelId: string) => {
    const model = models.get(modelId);
    return model && !model.deleted ? model : undefined;
  };
  const versionsOf = (modelId: string) => versions.get(modelId) ?? new Map<number, StoredVersion>();

  /** Checks every condition of the change, then applies it: nothing is written when one fails. */
  const apply = (modelId: string, change: RegistryChange<unknown>, existed: StoredModel | undefined) => {
    if (change.releaseName !== undefined && names.get(change.releaseName) !== modelId) {
      throw new Error(`name guard ${change.releaseName} is not held by ${modelId}`);
    }
    if (change.claimName !== undefined && names.has(change.claimName)) throw new RegisteredModelNameTaken(change.claimName);
    const stored = versionsOf(modelId);
    for (const { version, isNew } of change.versions ?? []) {
      if (isNew === stored.has(version.version)) throw new Error(`version ${version.version} ${isNew ? 'exists' : 'is missing'}`);
    }
    if (change.promotion && tables.deployments.has(change.promotion.deployment.deploymentId)) throw new Error('deployment exists');
    if (!existed && (change.set?.name === undefined || change.set.tags === undefined || change.set.aliases === undefined)) {
      throw new Error(`a change to missing model ${modelId} must create it`);
    }

    const seq = existed?.eventSeq ?? 0;
    const base: StoredModel = existed ?? ({ modelId, eventSeq: 0 } as StoredModel);
    const tags = recordOf(Object.entries(change.set?.tags ?? base.tags));
    const aliases = recordOf(Object.entries(change.set?.aliases ?? base.aliases));
    for (const { key, value } of change.setTags ?? []) tags[key] = value;
    for (const key of change.removeTags ?? []) delete tags[key];
    for (const { alias, version } of change.setAliases ?? []) aliases[alias] = version;
    for (const alias of change.removeAliases ?? []) delete aliases[alias];
    const timestamp = now();
    const recorded = change.events.map((spec, index): RegistryEvent => {
      const position = seq + index + 1;
      return {
        eventId: `event-${position}-${modelId}`,
        type: spec.type,
        modelId,
        modelName: String(spec.data.name ?? existed?.name ?? ''),
        position,
        logPosition: eventLogPosition(timestamp, modelId, position),
        timestamp,
        ...(spec.version === undefined ? {} : { version: String(spec.version) }),
        data: structuredClone(spec.data),
      };
    });
    models.set(modelId, {
      ...base,
      ...structuredClone(change.set),
      tags,
      aliases,
      eventSeq: seq + recorded.length,
      ...(change.deleteModel ? { deleted: true } : {}),
    });
    if (change.releaseName !== undefined) names.delete(change.releaseName);
    if (change.claimName !== undefined) names.set(change.claimName, modelId);
    for (const { version } of change.versions ?? []) stored.set(version.version, structuredClone(version));
    versions.set(modelId, stored);
    const policy = change.deploymentPolicy;
    if (policy) {
      if ('put' in policy) tables.policies.set(modelId, structuredClone(policy.put));
      else tables.policies.delete(modelId);
    }
    const promotion = change.promotion;
    if (promotion) {
      const { deployment, requestEndpoint } = promotion;
      tables.deployments.set(deployment.deploymentId, structuredClone(deployment));
      if (requestEndpoint) {
        const endpoint = tables.endpoints.get(requestEndpoint);
        tables.endpoints.set(requestEndpoint, { ...endpoint, endpointName: requestEndpoint, latestDeploymentId: deployment.deploymentId });
      }
    }
    grants.push(...(change.grants ?? []));
    events.push(...recorded);
    events.sort((a, b) => (a.logPosition < b.logPosition ? -1 : a.logPosition > b.logPosition ? 1 : 0));
  };

  const registry: RegistryStore = {
    newModelId: () => `m${String(++nextId).padStart(31, '0')}`,

    async getModel(modelId) {
      const model = live(modelId);
      return model && modelCopy(model);
    },

    async getModelByName(name) {
      const modelId = names.get(name);
      const model = modelId === undefined ? undefined : live(modelId);
      return model && modelCopy(model);
    },

    async listVersions(model) {
      return [...versionsOf(model.modelId).values()].sort((a, b) => a.version - b.version).map((v) => versionCopy(v, model.name));
    },

    async getVersion(model, version) {
      const found = versionsOf(model.modelId).get(version);
      return found && versionCopy(found, model.name);
    },

    async listModels() {
      return [...models.values()]
        .filter((m) => !m.deleted)
        .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
        .map(modelCopy);
    },

    async listAllVersions(of) {
      const byId = new Map(of.map((m) => [m.modelId, m.name]));
      return [...versions.entries()]
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .flatMap(([modelId, stored]) => {
          const name = byId.get(modelId);
          return name === undefined ? [] : [...stored.values()].sort((a, b) => a.version - b.version).map((v) => versionCopy(v, name));
        });
    },

    async catalog() {
      const liveModels = [...models.values()].filter((m) => !m.deleted).map((m) => ({ value: modelCopy(m), shard: 0, moves: [] }));
      const byId = new Map(liveModels.map((item) => [item.value.modelId, item]));
      const copies = (modelId: string) => [...versionsOf(modelId).values()].map((v) => versionCopy(v, byId.get(modelId)?.value.name ?? ''));
      return {
        version: [events.length],
        models: liveModels,
        versions: [...byId.keys()].flatMap((modelId) => copies(modelId).map((value) => ({ value, shard: 0, moves: [] }))),
        model: (modelId: string) => byId.get(modelId),
        versionsOf: copies,
      };
    },

    async change(modelId, plan) {
      for (;;) {
        const before = models.get(modelId);
        const seen = before?.eventSeq;
        const change = await plan(before && !before.deleted ? modelCopy(before) : undefined);
        // Another change landed while this one was planned: plan again on the newer model.
        if (models.get(modelId)?.eventSeq !== seen) {
          retries++;
          continue;
        }
        apply(modelId, change, before);
        return change.result;
      }
    },

    fits: (change) => (change.versions?.length ?? 0) <= (options.versionsPerChange ?? Number.POSITIVE_INFINITY),

    async purgeModel(modelId) {
      versions.delete(modelId);
      tables.policies.delete(modelId);
      models.delete(modelId);
    },
  };

  const registryEvents: RegistryEvents = {
    async listAfter(cursor, limit) {
      return events.filter((e) => cursor === undefined || e.logPosition > cursor).slice(0, limit).map((e) => structuredClone(e));
    },
    async forModel(modelId) {
      return events.filter((e) => e.modelId === modelId).sort((a, b) => a.position - b.position).map((e) => structuredClone(e));
    },
  };

  return { registry, registryEvents, events, names, retries: () => retries, grants };
};

/** Logged models a version can be created from: `models:/<id>` resolves to their files and run. */
export const memoryLoggedModels = (
  models: { modelId: string; artifactUri: string; sourceRunId?: string; tags?: Record<string, string> }[] = [],
): LoggedModelLinks & { tagsOf(modelId: string): Record<string, string> | undefined } => {
  const byId = new Map(models.map((m) => [m.modelId, { ...m, tags: recordOf(Object.entries(m.tags ?? {})) }]));
  return {
    async get(modelId) {
      const found = byId.get(modelId);
      return found && structuredClone(found);
    },
    async setTags(modelId, tags) {
      const found = byId.get(modelId);
      if (!found) throw new Error(`logged model ${modelId} not found`);
      for (const { key, value } of tags) found.tags[key] = value;
    },
    tagsOf: (modelId) => byId.get(modelId)?.tags,
  };
};

/** The registry's ports over memory, with a clock the test moves. */
export const createRegistryPorts = (options: MemoryRegistryOptions & { loggedModels?: LoggedModelLinks } = {}) => {
  let time = 1_000;
  const now = options.now ?? (() => ++time);
  const memory = createMemoryRegistry({ ...options, now });
  const ports: RegistryPorts = {
    registry: memory.registry,
    registryEvents: memory.registryEvents,
    loggedModels: options.loggedModels ?? memoryLoggedModels(),
    now,
  };
  return { ports, memory };
};
