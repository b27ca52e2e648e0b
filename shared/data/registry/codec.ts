import { z } from 'zod';
import { DELETED_STAGE, STAGES, type ModelVersion, type RegisteredModel } from '../../domain/registry/entities.js';
import type { StoredVersion } from '../../domain/registry/ports.js';
import { entityHeader, NumberMapSchema, parseItem, stamp, StringMapSchema } from '../codec.js';
import type { Item } from '../dynamo-ops.js';
import {
  modelVersionKey,
  modelVersionListingKey,
  registeredModelNameKey,
} from './keys.js';

const MODEL = 'registered-model';
const VERSION = 'model-version';
const NAME = 'registered-model-name';

const RegisteredModelItemSchema = z.object({
  ...entityHeader(MODEL),
  modelId: z.string(),
  name: z.string(),
  creationTimestamp: z.number(),
  lastUpdatedTimestamp: z.number(),
  description: z.string().optional(),
  userId: z.string().optional(),
  createdBy: z.string().optional(),
  tags: StringMapSchema,
  aliases: NumberMapSchema,
  latestVersion: z.number(),
  eventSeq: z.number(),
  deleted: z.boolean().optional(),
});

const ModelVersionItemSchema = z.object({
  ...entityHeader(VERSION),
  modelId: z.string(),
  version: z.number(),
  creationTimestamp: z.number(),
  lastUpdatedTimestamp: z.number(),
  userId: z.string().optional(),
  createdBy: z.string().optional(),
  currentStage: z.enum([...STAGES, DELETED_STAGE]),
  description: z.string().optional(),
  source: z.string(),
  runId: z.string().optional(),
  runLink: z.string().optional(),
  statusMessage: z.string().optional(),
  tags: StringMapSchema,
  storageLocation: z.string().optional(),
  loggedModelId: z.string().optional(),
  deleted: z.boolean(),
});

export const NameGuardSchema = z.object({ ...entityHeader(NAME), modelId: z.string() });

/** The model, or undefined while its deletion is being cleaned up. */
export const fromRegisteredModelItem = (item: Item): RegisteredModel | undefined => {
  const { _et, _v, deleted, ...model } = parseItem(RegisteredModelItemSchema, item);
  return deleted ? undefined : model;
};

/** What a registered model's item has besides its fields (and the listing key, which follows its name). */
export const newRegisteredModelAttributes = (modelId: string): Item => ({ ...stamp(MODEL), modelId });

export const toModelVersionItem = (version: StoredVersion): Item => ({
  ...modelVersionKey(version.modelId, version.version),
  ...modelVersionListingKey(version.modelId, version.version),
  ...stamp(VERSION),
  ...version,
});

export const fromModelVersionItem = (item: Item, name: string): ModelVersion => {
  const { _et, _v, ...version } = parseItem(ModelVersionItemSchema, item);
  return { ...version, name };
};

export const toNameGuardItem = (name: string, modelId: string): Item => ({
  ...registeredModelNameKey(name),
  ...stamp(NAME),
  modelId,
});

export const isModelVersionItem = (item: Item) => item._et === VERSION;
