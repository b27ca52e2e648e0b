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

  const update = async (
    experimentId: string,
    set: string,
    names: Record<string, string>,
    values: Record<string, unknown>,
    condition = 'attribute_exists(pk)',
    key: Record<string, string> = experimentKey(experimentId),
  ): Promise<boolean> => {
    try {
      await send(() =>
        db.client.send(
          new UpdateItemCommand({
            TableName: db.tableName,
            Key: toAttributes(key),
            UpdateExpression: set,
            ConditionExpression: condition,
            ...expression(names, values),
          }),
        ),
      );
      return true;
    } catch (error) {
      if (isConditionalCheckFailed(error)) return false;
      throw error;
    }
  };

  return {
    get,
    require,

    /** A new experiment id from the counter; ids are never reused, a failed create only leaves a gap. */
    async allocateId(): Promise<string> {
      return String(await nextInSequence(db, experimentSequenceKey()));
    },

    /** Moves the counter up to `id` unless it is there already (never down: ids are never reused). */
    async reserveIdsThrough(id: number): Promise<void> {
      await update('', 'SET #n = :id', { '#n': 'next' }, { ':id': id }, 'attribute_not_exists(#n) OR #n < :id', experimentSequenceKey());
    },

    /**
     * Stores a new experiment and claims its name in one transaction, with its creator's grant when given (the
     * grant's item and its entry in the creator's item, shared/data/grants): RESOURCE_ALREADY_EXISTS if the name
     * is taken.
     */
    async create(experiment: Experiment, creatorGrant?: Grant): Promise<void> {
      const items = [put(experiment), putNameGuard(experiment.name, experiment.experimentId)];
      const nameTaken = (codes: readonly (string | undefined)[]) => codes[0] === 'ConditionalCheckFailed' || codes[1] === 'ConditionalCheckFailed';
      if (!creatorGrant) {
        try {
          await transactWrite(db, items);
        } catch (error) {
          if (isTransactionCanceled(error) && nameTaken(cancellationCodes(error))) throw experimentAlreadyExists(experiment.name);
          throw error;
        }
        return;
      }
      const grant = await creatorGrantWrites(db, creatorGrant).catch((error: unknown) => {
        throw error instanceof GrantHolderMissing ? creatorMissing() : error;
      });
      // The creator's item takes part: another transaction on it (the same user creating in parallel) is waited out.
      const outcome = await transactWithHolder(db, grant.holder, [...items, ...grant.writes], items.length + 1);
      if (outcome.ok) return;
      if (outcome.holderGone) throw creatorMissing();
      if (nameTaken(outcome.codes)) throw experimentAlreadyExists(experiment.name);
      throw new Error(`Creating experiment ${experiment.experimentId} failed: ${outcome.codes.join(', ')}`);
    },

    /** Creates the experiment unless one with its id exists already; true when it was created. */
    async createIfMissing(experiment: Experiment): Promise<boolean> {
      try {
        await transactWrite(db, [put(experiment), putNameGuard(experiment.name, experiment.experimentId)]);
        return true;
      } catch (error) {
        if (isTransactionCanceled(error)) return false;
        throw error;
      }
    },

    async getByName(name: string): Promise<Experiment | undefined> {
      const guard = await getItem(db, experimentNameKey(name));
      if (!guard) return undefined;
      return get(parseItem(NameGuardSchema, guard).experimentId);
    },

    /** Every experiment, active and deleted. Experiments number in the thousands at most, so one partition holds them. */
    async list(): Promise<Experiment[]> {
      const items = await queryAll(db, {
        IndexName: TABLE.indexes.byOwner.name,
        KeyConditionExpression: '#pk = :pk',
        ...expression({ '#pk': TABLE.indexes.byOwner.partitionKey }, { ':pk': EXPERIMENT_LISTING }),
      });
      return items.map(fromExperimentItem);
    },

    /** Moves the name guard and renames in one transaction. */
    async rename(experiment: Experiment, newName: string, now: number): Promise<void> {
      if (experiment.name === newName) return;
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
        ]);
      } catch (error) {
        if (isTransactionCanceled(error)) {
          const codes = cancellationCodes(error);
          // The reference answers a duplicate name with its SQL integrity error as BAD_REQUEST.
          if (codes[1] === 'ConditionalCheckFailed') throw badRequest(`Experiment(name=${newName}) already exists.`);
          throw notFound(`No Experiment with id=${experiment.experimentId} exists`);
        }
        throw error;
      }
    },

    /** Moves the experiment from `from` to `to`; false if it is missing or not in `from`. */
    setLifecycle(experimentId: string, from: LifecycleStage, to: LifecycleStage, now: number): Promise<boolean> {
      return update(
        experimentId,
        'SET lifecycleStage = :to, lastUpdateTime = :now',
        {},
        { ':to': to, ':from': from, ':now': now },
        'lifecycleStage = :from',
      );
    },

    setTag(experimentId: string, key: string, value: string): Promise<boolean> {
      return update(experimentId, 'SET tags.#k = :v', { '#k': key }, { ':v': value });
    },

    /** False when the experiment or the tag is missing. */
    deleteTag(experimentId: string, key: string): Promise<boolean> {
      return update(experimentId, 'REMOVE tags.#k', { '#k': key }, {}, 'attribute_exists(tags.#k)');
    },
  } satisfies ExperimentStore;
};
