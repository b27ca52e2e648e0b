import { UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import type { Experiment, LifecycleStage } from '../../domain/tracking/entities.js';
import type { ExperimentStore } from '../../domain/tracking/ports.js';
import {
  badRequest,
  experimentAlreadyExists,
  experimentNotFound,
  notFound,
} from '../../errors/index.js';
import type { DbContext } from '../db-context.js';
import { cancellationCodes, isConditionalCheckFailed, isTransactionCanceled } from '../dynamo-errors.js';
import { expression, getItem, queryAll, send, toAttributes, transactWrite, nextInSequence } from '../dynamo-ops.js';
import { TABLE } from '../table-definition.js';
import { parseItem } from '../codec.js';
import type { Grant } from '../../domain/auth/entities.js';
import { GrantHolderMissing } from '../../domain/auth/ports.js';
import { transactWithHolder } from '../grants/holders.js';
import { creatorGrantWrites, creatorMissing } from '../grants/repository.js';
import { changeWithCatalog, PLAN_AGAIN, type CatalogAttempt } from '../catalog/changes.js';
import { snapshotOfCatalog } from '../catalog/snapshots.js';
import { createExperimentCatalogReader, EXPERIMENT_CATALOG, experimentEntryWrite } from './catalog.js';
import { recordOf } from '../../domain/kernel/own-records.js';
import { fromExperimentItem, NameGuardSchema, toExperimentItem, toNameGuardItem } from './codec.js';
import { EXPERIMENT_LISTING, experimentKey, experimentNameKey, experimentSequenceKey } from './keys.js';

/** Experiments and their name guards. Uniqueness of names is enforced by transactions, never by reading first. */
export const createExperimentRepository = (db: DbContext) => {
  const put = (experiment: Experiment) => ({
    Put: { TableName: db.tableName, Item: toAttributes(toExperimentItem(experiment)), ConditionExpression: 'attribute_not_exists(pk)' },
  });
  const putNameGuard = (name: string, experimentId: string) => ({
    Put: {
      TableName: db.tableName,
      Item: toAttributes(toNameGuardItem(name, experimentId)),
      ConditionExpression: 'attribute_not_exists(pk)',
    },
  });

  const get = async (experimentId: string): Promise<Experiment | undefined> => {
    const item = await getItem(db, experimentKey(experimentId));
    return item ? fromExperimentItem(item) : undefined;
  };

  /** Like `get`, but RESOURCE_DOES_NOT_EXIST when missing. */
  const require = async (experimentId: string): Promise<Experiment> => {
    const experiment = await get(experimentId);
    if (!experiment) throw experimentNotFound(experimentId);
    return experiment;
  };

  /**
   * Runs one change of an experiment with its catalog entry (shared/data/catalog): `attempt` gets the experiment
   * as its item is (undefined when missing), read at one instant with the shard's head and the entry, and the
   * catalog's part of its transaction. Planned from the item, not the entry: an entry that missed a write (made
   * by a version of Cairn without the catalog) is whole again at the experiment's next change.
   */
  const change = <R>(experimentId: string, attempt: (current: Experiment | undefined, catalog: CatalogAttempt) => Promise<R | typeof PLAN_AGAIN>) =>
    changeWithCatalog(
      db,
      EXPERIMENT_CATALOG,
      experimentId,
      [experimentId],
      async (catalog) => {
        const item = catalog.read.items[0];
        return attempt(item ? fromExperimentItem(item) : undefined, catalog);
      },
      [experimentKey(experimentId)],
    );

  /**
   * An update of the experiment's item with the catalog's items, sent as one transaction: false when the item's
   * condition failed (or the experiment is missing), PLAN_AGAIN when the shard moved meanwhile.
   */
  const update = (
    experimentId: string,
    next: (current: Experiment) => Experiment | undefined,
    set: string,
    names: Record<string, string>,
    values: Record<string, unknown>,
    condition = 'attribute_exists(pk)',
  ): Promise<boolean> =>
    change(experimentId, async (current, catalog) => {
      const changed = current && next(current);
      if (!current || !changed) return false;
      const now = Date.now();
      try {
        await transactWrite(db, [
          {
            Update: {
              TableName: db.tableName,
              Key: toAttributes(experimentKey(experimentId)),
              UpdateExpression: set,
              ConditionExpression: condition,
              ...expression(names, values),
            },
          },
          ...catalog.writes([experimentEntryWrite(changed, current)], 1, now),
        ]);
        return true;
      } catch (error) {
        if (catalog.lost(error)) return PLAN_AGAIN;
        if (isTransactionCanceled(error) && cancellationCodes(error)[0] === 'ConditionalCheckFailed') return false;
        throw error;
      }
    });

  /** Every experiment item, active and deleted, from gsi1's listing. */
  const list = async (): Promise<Experiment[]> => {
    const items = await queryAll(db, {
      IndexName: TABLE.indexes.byOwner.name,
      KeyConditionExpression: '#pk = :pk',
      ...expression({ '#pk': TABLE.indexes.byOwner.partitionKey }, { ':pk': EXPERIMENT_LISTING }),
    });
    return items.map(fromExperimentItem);
  };

  const catalogReader = createExperimentCatalogReader(db, list);

  return {
    get,
    require,

    /** A new experiment id from the counter; ids are never reused, a failed create only leaves a gap. */
    async allocateId(): Promise<string> {
      return String(await nextInSequence(db, experimentSequenceKey()));
    },

    /** Moves the counter up to `id` unless it is there already (never down: ids are never reused). */
    async reserveIdsThrough(id: number): Promise<void> {
      try {
        await send(() =>
          db.client.send(
            new UpdateItemCommand({
              TableName: db.tableName,
              Key: toAttributes(experimentSequenceKey()),
              UpdateExpression: 'SET #n = :id',
              ConditionExpression: 'attribute_not_exists(#n) OR #n < :id',
              ...expression({ '#n': 'next' }, { ':id': id }),
            }),
          ),
        );
      } catch (error) {
        if (!isConditionalCheckFailed(error)) throw error;
      }
    },

    /**
     * Stores a new experiment and claims its name in one transaction, with its catalog entry and its creator's
     * grant when given (the grant's item and its entry in the creator's item, shared/data/grants):
     * RESOURCE_ALREADY_EXISTS if the name is taken.
     */
    async create(experiment: Experiment, creatorGrant?: Grant): Promise<void> {
      const grant = creatorGrant
        ? await creatorGrantWrites(db, creatorGrant).catch((error: unknown) => {
            throw error instanceof GrantHolderMissing ? creatorMissing() : error;
          })
        : undefined;
      const nameTaken = (codes: readonly (string | undefined)[]) => codes[0] === 'ConditionalCheckFailed' || codes[1] === 'ConditionalCheckFailed';
      await change(experiment.experimentId, async (_, catalog) => {
        const items = [put(experiment), putNameGuard(experiment.name, experiment.experimentId), ...(grant?.writes ?? [])];
        items.push(...catalog.writes([experimentEntryWrite(experiment, undefined)], items.length, Date.now()));
        if (!grant) {
          try {
            await transactWrite(db, items);
            return undefined;
          } catch (error) {
            if (catalog.lost(error)) return PLAN_AGAIN;
            if (isTransactionCanceled(error) && nameTaken(cancellationCodes(error))) throw experimentAlreadyExists(experiment.name);
            throw error;
          }
        }
        // The creator's item takes part: another transaction on it (the same user creating in parallel) is waited out.
        const outcome = await transactWithHolder(db, grant.holder, items, 3);
        if (outcome.ok) return undefined;
        if (outcome.holderGone) throw creatorMissing();
        if (catalog.lostBy(outcome.codes)) return PLAN_AGAIN;
        if (nameTaken(outcome.codes)) throw experimentAlreadyExists(experiment.name);
        throw new Error(`Creating experiment ${experiment.experimentId} failed: ${outcome.codes.join(', ')}`);
      });
    },

    /** Creates the experiment unless one with its id exists already; true when it was created. */
    createIfMissing(experiment: Experiment): Promise<boolean> {
      return change(experiment.experimentId, async (current, catalog) => {
        if (current) return false;
        try {
          await transactWrite(db, [
            put(experiment),
            putNameGuard(experiment.name, experiment.experimentId),
            ...catalog.writes([experimentEntryWrite(experiment, undefined)], 2, Date.now()),
          ]);
          return true;
        } catch (error) {
          if (!isTransactionCanceled(error)) throw error;
          const codes = cancellationCodes(error);
          if (codes[0] === 'ConditionalCheckFailed' || codes[1] === 'ConditionalCheckFailed') return false;
          if (catalog.lost(error)) return PLAN_AGAIN;
          return false;
        }
      });
    },

    async getByName(name: string): Promise<Experiment | undefined> {
      const guard = await getItem(db, experimentNameKey(name));
      if (!guard) return undefined;
      return get(parseItem(NameGuardSchema, guard).experimentId);
    },

    /** Every experiment, active and deleted, from gsi1 (eventually consistent; searches read `catalog`). */
    list,

    /** The catalog as it is now (shared/data/catalog): what search_experiments reads. */
    async catalog() {
      return snapshotOfCatalog(await catalogReader.read());
    },

    /** Moves the name guard and renames in one transaction, with the catalog entry (the old name is its move). */
    async rename(experiment: Experiment, newName: string, now: number): Promise<void> {
      if (experiment.name === newName) return;
      const missing = () => notFound(`No Experiment with id=${experiment.experimentId} exists`);
      await change(experiment.experimentId, async (current, catalog) => {
        if (!current || current.name !== experiment.name) throw missing();
        const renamed = { ...current, name: newName, lastUpdateTime: now };
        try {
          await transactWrite(db, [
            {
              Delete: {
                TableName: db.tableName,
                Key: toAttributes(experimentNameKey(experiment.name)),
                ConditionExpression: 'experimentId = :id',
                ...expression({}, { ':id': experiment.experimentId }),
              },
            },
            putNameGuard(newName, experiment.experimentId),
            {
              Update: {
                TableName: db.tableName,
                Key: toAttributes(experimentKey(experiment.experimentId)),
                UpdateExpression: 'SET #name = :new, lastUpdateTime = :now',
                ConditionExpression: '#name = :old',
                ...expression({ '#name': 'name' }, { ':new': newName, ':old': experiment.name, ':now': now }),
              },
            },
            ...catalog.writes([experimentEntryWrite(renamed, current)], 3, Date.now()),
          ]);
          return undefined;
        } catch (error) {
          if (!isTransactionCanceled(error)) throw error;
          if (catalog.lost(error)) return PLAN_AGAIN;
          // The reference answers a duplicate name with its SQL integrity error as BAD_REQUEST.
          if (cancellationCodes(error)[1] === 'ConditionalCheckFailed') throw badRequest(`Experiment(name=${newName}) already exists.`);
          throw missing();
        }
      });
    },

    /** Moves the experiment from `from` to `to`; false if it is missing or not in `from`. */
    setLifecycle(experimentId: string, from: LifecycleStage, to: LifecycleStage, now: number): Promise<boolean> {
      return update(
        experimentId,
        (current) => (current.lifecycleStage === from ? { ...current, lifecycleStage: to, lastUpdateTime: now } : undefined),
        'SET lifecycleStage = :to, lastUpdateTime = :now',
        {},
        { ':to': to, ':from': from, ':now': now },
        'lifecycleStage = :from',
      );
    },

    setTag(experimentId: string, key: string, value: string): Promise<boolean> {
      return update(
        experimentId,
        (current) => ({ ...current, tags: recordOf([...Object.entries(current.tags).filter(([k]) => k !== key), [key, value]]) }),
        'SET tags.#k = :v',
        { '#k': key },
        { ':v': value },
      );
    },

    /** False when the experiment or the tag is missing. */
    deleteTag(experimentId: string, key: string): Promise<boolean> {
      return update(
        experimentId,
        (current) => (Object.hasOwn(current.tags, key) ? { ...current, tags: recordOf(Object.entries(current.tags).filter(([k]) => k !== key)) } : undefined),
        'REMOVE tags.#k',
        { '#k': key },
        {},
        'attribute_exists(tags.#k)',
      );
    },
  } satisfies ExperimentStore;
};
