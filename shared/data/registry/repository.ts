import { randomUUID } from 'node:crypto';
import type { ModelVersion, RegisteredModel } from '../../domain/registry/entities.js';
import type { ChangePlan, RegistryStore } from '../../domain/registry/ports.js';
import type { DbContext } from '../db-context.js';
import { expression, getItem, queryAll, toAttributes, transactWrite } from '../dynamo-ops.js';
import { parseItem } from '../codec.js';
import { TABLE } from '../table-definition.js';
import { fromModelVersionItem, fromRegisteredModelItem, NameGuardSchema } from './codec.js';
import {
  MODEL_VERSION_LISTING,
  MODEL_VERSION_PREFIX,
  modelVersionKey,
  REGISTERED_MODEL_LISTING,
  registeredModelNameKey,
  registeredModelPartition,
} from './keys.js';
import { changeFits, mutateModel } from './mutate.js';
import { createRegistryCatalog, registrySources } from './catalog.js';
import { removeVersionEntries } from './catalog-purge.js';

export type RegistryRepository = ReturnType<typeof createRegistryRepository>;

/** The registry on the table: reads, and changes as single transactions (mutate.ts). */
export const createRegistryRepository = (db: DbContext, now: () => number) => {
  const modelIdByName = async (name: string): Promise<string | undefined> => {
    const guard = await getItem(db, registeredModelNameKey(name));
    return guard ? parseItem(NameGuardSchema, guard).modelId : undefined;
  };

  /** Every version of the given models from gsi1's listing (eventually consistent), with each model's current name. */
  const listAllVersions = async (models: RegisteredModel[]): Promise<ModelVersion[]> => {
    const names = new Map(models.map((m) => [m.modelId, m.name]));
    const items = await queryAll(db, {
      IndexName: TABLE.indexes.byOwner.name,
      KeyConditionExpression: '#pk = :pk',
      ...expression({ '#pk': TABLE.indexes.byOwner.partitionKey }, { ':pk': MODEL_VERSION_LISTING }),
    });
    return items.flatMap((item) => {
      const name = names.get(String(item.modelId));
      return name === undefined ? [] : [fromModelVersionItem(item, name)];
    });
  };

  /** Every registered model from gsi1's listing (eventually consistent), by name. */
  const listModels = async (): Promise<RegisteredModel[]> => {
    const items = await queryAll(db, {
      IndexName: TABLE.indexes.byOwner.name,
      KeyConditionExpression: '#pk = :pk',
      ...expression({ '#pk': TABLE.indexes.byOwner.partitionKey }, { ':pk': REGISTERED_MODEL_LISTING }),
    });
    return items.flatMap((item) => fromRegisteredModelItem(item) ?? []);
  };

  const catalog = createRegistryCatalog(db, async () => {
    const models = await listModels();
    return registrySources(models, (await listAllVersions(models)).map(({ name: _, ...version }) => version));
  });

  return {
    newModelId: () => randomUUID().replaceAll('-', ''),

    async getModel(modelId: string): Promise<RegisteredModel | undefined> {
      const item = await getItem(db, { pk: registeredModelPartition(modelId), sk: 'RM' });
      return item ? fromRegisteredModelItem(item) : undefined;
    },

    async getModelByName(name: string): Promise<RegisteredModel | undefined> {
      const modelId = await modelIdByName(name);
      if (!modelId) return undefined;
      const item = await getItem(db, { pk: registeredModelPartition(modelId), sk: 'RM' });
      return item ? fromRegisteredModelItem(item) : undefined;
    },

    /** Every version of a model, deleted ones included, by version number. */
    async listVersions(model: RegisteredModel): Promise<ModelVersion[]> {
      const items = await queryAll(db, {
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        ConsistentRead: true,
        ...expression({}, { ':pk': registeredModelPartition(model.modelId), ':prefix': MODEL_VERSION_PREFIX }),
      });
      return items.map((item) => fromModelVersionItem(item, model.name));
    },

    async getVersion(model: RegisteredModel, version: number): Promise<ModelVersion | undefined> {
      const item = await getItem(db, modelVersionKey(model.modelId, version));
      return item ? fromModelVersionItem(item, model.name) : undefined;
    },

    /** Every registered model, by name. */
    listModels,

    /** Every version of every model, with the model's current name; versions of models being deleted are left out. */
    listAllVersions,

    /** The registry as searches read it (catalog.ts). */
    catalog: () => catalog.read(),

    /** Runs `plan` as one transaction on the model, with its events (mutate.ts). */
    change: <T>(modelId: string, plan: ChangePlan<T>) => mutateModel(db, modelId, now, plan),

    /** Whether a change fits one transaction (mutate.ts). */
    fits: changeFits,

    /**
     * Removes the items of a deleted model, in batches: its name and events are already gone or kept, its catalog
     * entry went with the deletion; its versions' entries go here, as numbered changes.
     */
    async purgeModel(modelId: string): Promise<void> {
      await removeVersionEntries(db, modelId);
      const items = await queryAll(db, {
        KeyConditionExpression: 'pk = :pk',
        ...expression({}, { ':pk': registeredModelPartition(modelId) }),
      });
      // Versions first and the model item last, so an interrupted purge is finished by the next one.
      const ordered = [...items.filter((i) => i.sk !== 'RM'), ...items.filter((i) => i.sk === 'RM')];
      for (let offset = 0; offset < ordered.length; offset += 25) {
        await transactWrite(
          db,
          ordered.slice(offset, offset + 25).map((item) => ({
            Delete: { TableName: db.tableName, Key: toAttributes({ pk: item.pk, sk: item.sk }) },
          })),
        );
      }
    },
  } satisfies RegistryStore;
};
