import { z } from 'zod';
import type { Experiment } from '../../domain/tracking/entities.js';
import { recordOf } from '../../domain/kernel/own-records.js';
import { internalError } from '../../errors/index.js';
import type { EntryWrite } from '../catalog/journal.js';
import type { CatalogName } from '../catalog/keys.js';
import { createCatalogReader, type CatalogReader } from '../catalog/reader.js';
import type { DbContext } from '../db-context.js';

/**
 * Experiments in the catalog (shared/data/catalog): one entry per experiment, keyed by its id, holding it whole
 * (search_experiments answers experiments with their tags). Tags travel as [key, value] pairs, so any key,
 * `__proto__` included, comes back as it went in.
 */
export const EXPERIMENT_CATALOG: CatalogName = 'EXP';

/** [experimentId, name, artifactLocation, lifecycleStage, creationTime, lastUpdateTime, tags]: positions, not names, keep a cold load's text short. */
const EntryValueSchema = z.tuple([
  z.string(),
  z.string(),
  z.string(),
  z.enum(['active', 'deleted']),
  z.number(),
  z.number(),
  z.array(z.tuple([z.string(), z.string()])),
]);

const toEntryValue = (e: Experiment) => [e.experimentId, e.name, e.artifactLocation, e.lifecycleStage, e.creationTime, e.lastUpdateTime, Object.entries(e.tags)];

const fromEntryValue = (key: string, value: unknown): Experiment => {
  const result = EntryValueSchema.safeParse(value);
  if (!result.success) throw internalError(`The catalog entry of experiment ${key} is not readable.`, result.error);
  const [experimentId, name, artifactLocation, lifecycleStage, creationTime, lastUpdateTime, tags] = result.data;
  return { experimentId, name, artifactLocation, lifecycleStage, creationTime, lastUpdateTime, tags: recordOf(tags) };
};

/** The entry write of `next`; its sort fields that changed since `previous` are recorded as a move. */
export const experimentEntryWrite = (next: Experiment, previous: Experiment | undefined): EntryWrite => {
  const moved: Record<string, unknown> = {};
  if (previous && previous.name !== next.name) moved.name = previous.name;
  if (previous && previous.lastUpdateTime !== next.lastUpdateTime) moved.lastUpdateTime = previous.lastUpdateTime;
  return { key: next.experimentId, value: toEntryValue(next), ...(Object.keys(moved).length > 0 ? { moved } : {}) };
};

/** `list` answers every experiment item, to build the catalog from where the table has none yet. */
export const createExperimentCatalogReader = (db: DbContext, list: () => Promise<Experiment[]>): CatalogReader<Experiment> =>
  createCatalogReader(db, {
    catalog: EXPERIMENT_CATALOG,
    decode: fromEntryValue,
    // Ids are decimal: their first digits split a shard's entries in about equal parts.
    segments: ['3', '5', '7'],
    sources: async () => (await list()).map((experiment) => ({ shardId: experiment.experimentId, ...experimentEntryWrite(experiment, undefined) })),
  });
