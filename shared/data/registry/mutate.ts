import { randomUUID } from 'node:crypto';
import type { TransactWriteItem } from '@aws-sdk/client-dynamodb';
import { eventLogPosition, type RegistryEvent, type RegistryEventType } from '../../domain/registry/events.js';
import type { RegisteredModel } from '../../domain/registry/entities.js';
import { temporarilyUnavailable } from '../../errors/index.js';
import type { DbContext } from '../db-context.js';
import { cancellationCodes, isTransactionCanceled } from '../dynamo-errors.js';
import { backoff, expression, getItem, toAttributes, transactWrite, type Item } from '../dynamo-ops.js';
import { toRegistryEventItem } from '../registry-events/codec.js';
import { fromRegisteredModelItem } from './codec.js';
import { registeredModelKey } from './keys.js';

export interface EventSpec {
  type: RegistryEventType;
  version?: number;
  data: Record<string, unknown>;
}

/**
 * What a change does to the model item (top-level attributes to set; entries of its `tags` or `aliases`
 * maps to set or remove: keys may contain dots, so they are never split into paths), the other writes of
 * the transaction, and the events it makes.
 */
export interface ModelChange<T> {
  set?: Record<string, unknown>;
  setIn?: { map: 'tags' | 'aliases'; key: string; value: unknown }[];
  removeIn?: { map: 'tags' | 'aliases'; key: string }[];
  writes?: TransactWriteItem[];
  events: EventSpec[];
  result: T;
}

const MAX_ATTEMPTS = 200;

/**
 * Runs a change to one registered model as one transaction, with its events, optimistically: the model
 * item's `eventSeq` is the version the change was computed from, so concurrent changes to a model are
 * serialized by DynamoDB and every event gets the next position, no gaps. `plan` sees the current model
 * (undefined when missing) and may throw an MlflowError; it runs again after a conflict.
 */
export const mutateModel = async <T>(
  db: DbContext,
  modelId: string,
  now: () => number,
  plan: (model: RegisteredModel | undefined) => Promise<ModelChange<T>> | ModelChange<T>,
): Promise<T> => {
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const item = await getItem(db, registeredModelKey(modelId));
    const model = item ? fromRegisteredModelItem(item) : undefined;
    const change = await plan(model);
    const timestamp = now();
    const seq = model?.eventSeq ?? 0;
    const events = change.events.map((spec, index) => toEvent(spec, model, modelId, seq + index + 1, timestamp));
    const items: TransactWriteItem[] = [
      modelUpdate(db, modelId, seq, seq + events.length, change, item !== undefined),
      ...(change.writes ?? []),
      ...events.map((event) => ({ Put: { TableName: db.tableName, Item: toAttributes(toRegistryEventItem(event)) } })),
    ];
    try {
      await transactWrite(db, items);
      return change.result;
    } catch (error) {
      if (!isTransactionCanceled(error)) throw error;
      const codes = cancellationCodes(error);
      const conflict = codes[0] === 'ConditionalCheckFailed' || codes.some((code) => code === 'TransactionConflict');
      if (!conflict) throw error;
      await backoff(Math.min(attempt, 6));
    }
  }
  throw temporarilyUnavailable(`The registered model is being changed by many clients at once; retry.`);
};

const toEvent = (
  spec: EventSpec,
  model: RegisteredModel | undefined,
  modelId: string,
  position: number,
  timestamp: number,
): RegistryEvent => ({
  eventId: randomUUID(),
  type: spec.type,
  modelId,
  modelName: String(spec.data.name ?? model?.name ?? ''),
  position,
  logPosition: eventLogPosition(timestamp, modelId, position),
  timestamp,
  ...(spec.version === undefined ? {} : { version: String(spec.version) }),
  data: spec.data,
});

/** The model item's update: the event position moves on, guarded by the position the change was planned from. */
const modelUpdate = (
  db: DbContext,
  modelId: string,
  seq: number,
  nextSeq: number,
  change: ModelChange<unknown>,
  exists: boolean,
): TransactWriteItem => {
  const names: Record<string, string> = { '#seq': 'eventSeq' };
  const values: Item = { ':next': nextSeq };
  const sets = ['#seq = :next'];
  Object.entries(change.set ?? {}).forEach(([attribute, value], index) => {
    names[`#s${index}`] = attribute;
    values[`:s${index}`] = value;
    sets.push(`#s${index} = :s${index}`);
  });
  (change.setIn ?? []).forEach(({ map, key, value }, index) => {
    names[`#m${map}`] = map;
    names[`#sk${index}`] = key;
    values[`:sk${index}`] = value;
    sets.push(`#m${map}.#sk${index} = :sk${index}`);
  });
  const removes = (change.removeIn ?? []).map(({ map, key }, index) => {
    names[`#m${map}`] = map;
    names[`#rk${index}`] = key;
    return `#m${map}.#rk${index}`;
  });
  if (exists) values[':seq'] = seq;
  return {
    Update: {
      TableName: db.tableName,
      Key: toAttributes(registeredModelKey(modelId)),
      UpdateExpression: `SET ${sets.join(', ')}${removes.length ? ` REMOVE ${removes.join(', ')}` : ''}`,
      ConditionExpression: exists ? '#seq = :seq' : 'attribute_not_exists(pk)',
      ...expression(names, values),
    },
  };
};
