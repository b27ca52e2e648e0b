import { z } from 'zod';
import type { CatalogItem } from '../../domain/kernel/catalog.js';
import { recordOf } from '../../domain/kernel/own-records.js';
import { DELETED_STAGE, STAGES, type ModelVersion, type RegisteredModel } from '../../domain/registry/entities.js';
import type { RegistryCatalog, RegistryChange, StoredVersion } from '../../domain/registry/ports.js';
import { internalError } from '../../errors/index.js';
import type { CatalogSource } from '../catalog/built.js';
import type { EntryWrite, ShardRead } from '../catalog/journal.js';
import type { CatalogName } from '../catalog/keys.js';
import { createCatalogReader, type CatalogReader, type CatalogState } from '../catalog/reader.js';
import type { DbContext } from '../db-context.js';

/**
 * The registry in the catalog (shared/data/catalog): an entry per registered model (`RM#<modelId>`) and per
 * version (`MV#<modelId>#<version, 10 digits>`), in the shard of the model's id, so a registry change (one
 * model, its versions) is one numbered change of one shard. Tags and aliases travel as [key, value] pairs.
 */
export const REGISTRY_CATALOG: CatalogName = 'REG';
export const modelEntryKey = (modelId: string) => `RM#${modelId}`;
export const versionEntryKey = (modelId: string, version: number) => `MV#${modelId}#${String(version).padStart(10, '0')}`;
const MODEL_PREFIX = 'RM#';

/** The optional fields of a model or version, by name (absent when none). */
const ExtrasSchema = z.record(z.string(), z.string()).optional();

/**
 * A model: [modelId, name, creationTimestamp, lastUpdatedTimestamp, latestVersion, eventSeq, tags, aliases,
 * {description, userId, createdBy}?]; positions, not names, keep a cold load's text short.
 */
const ModelValueSchema = z.tuple([
  z.string(),
  z.string(),
  z.number(),
  z.number(),
  z.number(),
  z.number(),
  z.array(z.tuple([z.string(), z.string()])),
  z.array(z.tuple([z.string(), z.number()])),
  ExtrasSchema,
]);

/**
 * A version: [modelId, version, creationTimestamp, lastUpdatedTimestamp, currentStage, source, deleted, tags,
 * {userId, createdBy, description, runId, runLink, statusMessage, storageLocation, loggedModelId}?].
 */
const VersionValueSchema = z.tuple([
  z.string(),
  z.number(),
  z.number(),
  z.number(),
  z.enum([...STAGES, DELETED_STAGE]),
  z.string(),
  z.boolean(),
  z.array(z.tuple([z.string(), z.string()])),
  ExtrasSchema,
]);

const MODEL_EXTRAS = ['description', 'userId', 'createdBy'] as const;
const VERSION_EXTRAS = ['userId', 'createdBy', 'description', 'runId', 'runLink', 'statusMessage', 'storageLocation', 'loggedModelId'] as const;

type RegistryEntry = { readonly kind: 'model'; readonly model: RegisteredModel } | { readonly kind: 'version'; readonly version: StoredVersion };

const extrasOf = (from: object, names: readonly string[]) => {
  const fields = from as Readonly<Record<string, unknown>>;
  const extras = Object.fromEntries(names.flatMap((name) => (typeof fields[name] === 'string' ? [[name, fields[name] as string]] : [])));
  return Object.keys(extras).length > 0 ? [extras] : [];
};

const extrasFrom = (extras: Record<string, string> | undefined, names: readonly string[]) =>
  Object.fromEntries(names.flatMap((name) => (extras && Object.hasOwn(extras, name) ? [[name, extras[name]]] : [])));

const modelValue = (m: RegisteredModel) => [
  m.modelId, m.name, m.creationTimestamp, m.lastUpdatedTimestamp, m.latestVersion, m.eventSeq,
  Object.entries(m.tags), Object.entries(m.aliases), ...extrasOf(m, MODEL_EXTRAS),
];

const versionValue = (v: StoredVersion) => [
  v.modelId, v.version, v.creationTimestamp, v.lastUpdatedTimestamp, v.currentStage, v.source, v.deleted,
  Object.entries(v.tags), ...extrasOf(v, VERSION_EXTRAS),
];

const decode = (key: string, value: unknown): RegistryEntry => {
  if (key.startsWith(MODEL_PREFIX)) {
    const result = ModelValueSchema.safeParse(value);
    if (!result.success) throw internalError(`The catalog entry ${key} is not readable.`, result.error);
    const [modelId, name, creationTimestamp, lastUpdatedTimestamp, latestVersion, eventSeq, tags, aliases, extras] = result.data;
    const model: RegisteredModel = {
      modelId, name, creationTimestamp, lastUpdatedTimestamp, latestVersion, eventSeq,
      tags: recordOf(tags), aliases: recordOf(aliases), ...extrasFrom(extras, MODEL_EXTRAS),
    };
    return { kind: 'model', model };
  }
  const result = VersionValueSchema.safeParse(value);
  if (!result.success) throw internalError(`The catalog entry ${key} is not readable.`, result.error);
  const [modelId, version, creationTimestamp, lastUpdatedTimestamp, currentStage, source, deleted, tags, extras] = result.data;
  const stored: StoredVersion = {
    modelId, version, creationTimestamp, lastUpdatedTimestamp, currentStage, source, deleted,
    tags: recordOf(tags), ...extrasFrom(extras, VERSION_EXTRAS),
  };
  return { kind: 'version', version: stored };
};

/** The model after `change`, as its item will hold it (undefined: the change deletes it). */
const modelAfter = (current: RegisteredModel | undefined, modelId: string, change: RegistryChange<unknown>, eventSeq: number): RegisteredModel | undefined => {
  if (change.deleteModel) return undefined;
  const base = { ...(current ?? {}), ...change.set, modelId, eventSeq } as RegisteredModel;
  const tags = new Map(Object.entries(base.tags ?? {}));
  for (const { key, value } of change.setTags ?? []) tags.set(key, value);
  for (const key of change.removeTags ?? []) tags.delete(key);
  const aliases = new Map(Object.entries(base.aliases ?? {}));
  for (const { alias, version } of change.setAliases ?? []) aliases.set(alias, version);
  for (const key of change.removeAliases ?? []) aliases.delete(key);
  return { ...base, tags: recordOf(tags), aliases: recordOf(aliases) };
};

const storedVersionOf = (read: ShardRead, key: string): StoredVersion | undefined => {
  const entry = read.entries.get(key);
  if (!entry) return undefined;
  const decoded = decode(key, entry.value);
  return decoded.kind === 'version' ? decoded.version : undefined;
};

/** The entry keys a change writes: its model's and its versions'. */
export const changeEntryKeys = (modelId: string, change: RegistryChange<unknown>): string[] => [
  modelEntryKey(modelId),
  ...(change.versions ?? []).map(({ version }) => versionEntryKey(version.modelId, version.version)),
];

/**
 * The catalog's entry writes of a change: the model's (deleted with it), then each version's. The sort fields
 * that changed are recorded as moves: a model's name and last update, a version's last update.
 */
export const changeEntryWrites = (
  read: ShardRead,
  current: RegisteredModel | undefined,
  modelId: string,
  change: RegistryChange<unknown>,
  eventSeq: number,
): EntryWrite[] => {
  const next = modelAfter(current, modelId, change, eventSeq);
  const moved: Record<string, unknown> = {};
  if (current && next && current.name !== next.name) moved.name = current.name;
  if (current && next && current.lastUpdatedTimestamp !== next.lastUpdatedTimestamp) moved.lastUpdatedTimestamp = current.lastUpdatedTimestamp;
  const model: EntryWrite = {
    key: modelEntryKey(modelId),
    value: next ? modelValue(next) : null,
    ...(Object.keys(moved).length > 0 ? { moved } : {}),
  };
  const versions = (change.versions ?? []).map(({ version }): EntryWrite => {
    const key = versionEntryKey(version.modelId, version.version);
    const before = storedVersionOf(read, key);
    const changed = before && before.lastUpdatedTimestamp !== version.lastUpdatedTimestamp;
    return { key, value: versionValue(version), ...(changed ? { moved: { lastUpdatedTimestamp: before.lastUpdatedTimestamp } } : {}) };
  });
  return [model, ...versions];
};

/** The entries of a model's versions, to remove with its purge. */
export const isVersionEntryOf = (modelId: string) => (key: string) => key.startsWith(`MV#${modelId}#`);

/** Every model and version item, to build the catalog from where the table has none yet. */
export const registrySources = (models: readonly RegisteredModel[], versions: readonly StoredVersion[]): CatalogSource[] => [
  ...models.map((model) => ({ shardId: model.modelId, key: modelEntryKey(model.modelId), value: modelValue(model) })),
  ...versions.map((version) => ({ shardId: version.modelId, key: versionEntryKey(version.modelId, version.version), value: versionValue(version) })),
];

/** The registry's views of a catalog state, made again only when an entry changed. */
const viewsOf = (state: CatalogState<RegistryEntry>): RegistryCatalog => {
  const models = new Map<string, CatalogItem<RegisteredModel>>();
  const stored: CatalogItem<StoredVersion>[] = [];
  state.shards.forEach((entries) => {
    for (const item of entries.values()) {
      const entry = item.value;
      if (entry.kind === 'model') models.set(entry.model.modelId, { value: entry.model, shard: item.shard, moves: item.moves });
      else stored.push({ value: entry.version, shard: item.shard, moves: item.moves });
    }
  });
  // Joined once per change of the catalog, not per search. Versions of a model whose deletion is being purged
  // have no model: they are not in the registry.
  const versions: CatalogItem<ModelVersion>[] = [];
  const byModel = new Map<string, ModelVersion[]>();
  for (const item of stored) {
    const model = models.get(item.value.modelId);
    if (!model) continue;
    const joined = { ...item.value, name: model.value.name };
    versions.push({ value: joined, shard: item.shard, moves: item.moves });
    const list = byModel.get(joined.modelId) ?? [];
    list.push(joined);
    byModel.set(joined.modelId, list);
  }
  return {
    version: state.version,
    models: [...models.values()],
    versions,
    model: (modelId) => models.get(modelId),
    versionsOf: (modelId) => byModel.get(modelId) ?? [],
  };
};

export const createRegistryCatalog = (db: DbContext, sources: () => Promise<CatalogSource[]>) => {
  const reader: CatalogReader<RegistryEntry> = createCatalogReader(db, {
    catalog: REGISTRY_CATALOG,
    decode,
    // Model ids are hex: a shard's versions and models fall about evenly on both sides of these.
    segments: ['MV#4', 'MV#8', 'MV#c', 'RM#8'],
    sources,
  });
  let cached: { generation: number; views: RegistryCatalog } | undefined;
  return {
    async read(): Promise<RegistryCatalog> {
      const state = await reader.read();
      if (cached?.generation !== state.generation) cached = { generation: state.generation, views: viewsOf(state) };
      // The views may be older than this read's version by nothing: they hold every entry the state does.
      return { ...cached.views, version: state.version };
    },
  };
};
