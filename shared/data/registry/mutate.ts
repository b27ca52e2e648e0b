import { randomUUID } from 'node:crypto';
import type { TransactWriteItem } from '@aws-sdk/client-dynamodb';
import { eventLogPosition, type RegistryEvent } from '../../domain/registry/events.js';
import type { RegisteredModel } from '../../domain/registry/entities.js';
import { RegisteredModelNameTaken, type ChangePlan, type RegistryChange, type RegistryEventSpec } from '../../domain/registry/ports.js';
import { temporarilyUnavailable } from '../../errors/index.js';
import type { DbContext } from '../db-context.js';
import { deploymentWrites } from '../deployments/writes.js';
import type { Grant } from '../../domain/auth/entities.js';
import { GrantHolderMissing } from '../../domain/auth/ports.js';
import { afterHolderError, type Holder } from '../grants/holders.js';
import { creatorGrantWrites, creatorMissing } from '../grants/repository.js';
import { cancellationCodes, isTransactionCanceled } from '../dynamo-errors.js';
import { backoff, expression, getItem, toAttributes, transactWrite, type Item } from '../dynamo-ops.js';
import { toRegistryEventItem } from '../registry-events/codec.js';
import { fromRegisteredModelItem, newRegisteredModelAttributes, toModelVersionItem, toNameGuardItem } from './codec.js';
import { registeredModelKey, registeredModelListingKey, registeredModelNameKey } from './keys.js';
import { catalogWriteCount, catalogWrites, readShard } from '../catalog/journal.js';
import { catalogShardOf } from '../catalog/keys.js';
import { changeEntryKeys, changeEntryWrites, REGISTRY_CATALOG } from './catalog.js';

const MAX_ATTEMPTS = 200;

/**
 * Runs a change to one registered model as one transaction, with its events and its catalog entries
 * (shared/data/registry/catalog.ts), optimistically: the model
 * item's `eventSeq` is the version the change was computed from, so concurrent changes to a model are
 * serialized by DynamoDB and every event gets the next position, no gaps. `plan` sees the current model
 * (undefined when missing) and may throw an MlflowError; it runs again after a conflict.
 *
 * The model item's `rev` moves with every change, events or not (a deployment's version tags, an import's
 * versions record none): so what `plan` read after the model item (its versions) is still current when the
 * change lands, or the change is planned again. A use case that splits its work over several changes
 * (transition-stage archiving a stage's versions) relies on it.
 */
export const mutateModel = async <T>(db: DbContext, modelId: string, now: () => number, plan: ChangePlan<T>): Promise<T> => {
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const item = await getItem(db, registeredModelKey(modelId));
    const model = item ? fromRegisteredModelItem(item) : undefined;
    const change = await plan(model);
    const timestamp = now();
    const seq = model?.eventSeq ?? 0;
    const rev = typeof item?.rev === 'number' ? item.rev : 0;
    const events = change.events.map((spec, index) => toEvent(spec, model, modelId, seq + index + 1, timestamp));
    const writes = changeWrites(db, modelId, change);
    const grants = await grantWrites(db, change.grants ?? []);
    // The catalog's part last (shared/data/catalog): the change is numbered in the model's shard with its entries.
    const shard = await readShard(db, REGISTRY_CATALOG, catalogShardOf(modelId), changeEntryKeys(modelId, change));
    const items: TransactWriteItem[] = [
      modelUpdate(db, modelId, { seq, rev }, seq + events.length, change, item !== undefined),
      ...writes,
      ...grants.flatMap((grant) => grant.writes),
      ...events.map((event) => ({ Put: { TableName: db.tableName, Item: toAttributes(toRegistryEventItem(event)) } })),
    ];
    const headIndex = items.length;
    items.push(...catalogWrites(db, shard, changeEntryWrites(shard, model, modelId, change, seq + events.length), Date.now()));
    try {
      await transactWrite(db, items);
      return change.result;
    } catch (error) {
      // The creator's item (its map of grants) takes part: a creator deleted meanwhile gets nothing created.
      const holders = grants.map((grant, index) => ({ holder: grant.holder, index: 1 + writes.length + 2 * index + 1 }));
      const next = await afterHolderError(db, holders, error);
      if (next === 'gone') throw creatorMissing();
      if (!isTransactionCanceled(error) && next !== 'retry') throw error;
      const codes = isTransactionCanceled(error) ? cancellationCodes(error) : [];
      const conflict =
        next === 'retry' ||
        codes[0] === 'ConditionalCheckFailed' ||
        codes[headIndex] === 'ConditionalCheckFailed' ||
        codes.some((code) => code === 'TransactionConflict');
      if (!conflict) {
        if (change.claimName !== undefined && codes[claimIndex(change)] === 'ConditionalCheckFailed') {
          throw new RegisteredModelNameTaken(change.claimName);
        }
        throw error;
      }
      await backoff(Math.min(attempt, 6));
    }
  }
  throw temporarilyUnavailable(`The registered model is being changed by many clients at once; retry.`);
};

/** Where the claimed name's guard is in the transaction: after the model item and a released name's guard. */
const claimIndex = (change: RegistryChange<unknown>) => 1 + (change.releaseName === undefined ? 0 : 1);

/** DynamoDB's bounds of one TransactWriteItems: 100 items, 4 MB in all (a margin left for the model's item and entry). */
const TRANSACTION_ITEMS = 100;
const TRANSACTION_BYTES = 3 * 1024 * 1024;

/**
 * Whether mutateModel can write `change` as one transaction: its items counted as mutateModel and changeWrites
 * put them (keep the three in step), its size estimated from its JSON, each version twice (its item and its
 * catalog entry).
 */
export const changeFits = (change: RegistryChange<unknown>): boolean => {
  const versions = change.versions?.length ?? 0;
  const promotion = change.promotion ? 1 + (change.promotion.requestEndpoint ? 1 : 0) : 0;
  const writes =
    (change.releaseName === undefined ? 0 : 1) + (change.claimName === undefined ? 0 : 1) + versions + (change.deploymentPolicy ? 1 : 0) + promotion;
  const items = 1 + writes + 2 * (change.grants?.length ?? 0) + change.events.length + catalogWriteCount(1 + versions);
  const { result: _, ...written } = change;
  const bytes = Buffer.byteLength(JSON.stringify(written)) + Buffer.byteLength(JSON.stringify(change.versions ?? []));
  return items <= TRANSACTION_ITEMS && bytes <= TRANSACTION_BYTES;
};

/** The change's items besides the model's own and its grants: name guards first (released, claimed), versions, deployment items. */
const changeWrites = (db: DbContext, modelId: string, change: RegistryChange<unknown>): TransactWriteItem[] => {
  const deployments = deploymentWrites(db);
  const put = (item: Item, condition: string): TransactWriteItem => ({ Put: { TableName: db.tableName, Item: toAttributes(item), ConditionExpression: condition } });
  const writes: TransactWriteItem[] = [];
  if (change.releaseName !== undefined) {
    writes.push({
      Delete: {
        TableName: db.tableName,
        Key: toAttributes(registeredModelNameKey(change.releaseName)),
        ConditionExpression: 'modelId = :id',
        ...expression({}, { ':id': modelId }),
      },
    });
  }
  if (change.claimName !== undefined) {
    writes.push(put(toNameGuardItem(change.claimName, modelId), 'attribute_not_exists(pk)'));
  }
  for (const { version, isNew } of change.versions ?? []) {
    writes.push(put(toModelVersionItem(version), isNew ? 'attribute_not_exists(pk)' : 'attribute_exists(pk)'));
  }
  const policy = change.deploymentPolicy;
  if (policy) writes.push('put' in policy ? deployments.putPolicy(policy.put) : deployments.deletePolicy(modelId));
  const promotion = change.promotion;
  if (promotion) {
    writes.push(deployments.putDeployment(promotion.deployment));
    if (promotion.requestEndpoint) writes.push(deployments.requestEndpoint(promotion.requestEndpoint, promotion.deployment.deploymentId));
  }
  return writes;
};

/** The grants' items and their entries in their holders' items (two writes each, the holder's second). */
const grantWrites = async (db: DbContext, grants: readonly Grant[]): Promise<{ holder: Holder; writes: TransactWriteItem[] }[]> => {
  try {
    return await Promise.all(grants.map((grant) => creatorGrantWrites(db, grant)));
  } catch (error) {
    throw error instanceof GrantHolderMissing ? creatorMissing() : error;
  }
};

const toEvent = (
  spec: RegistryEventSpec,
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

/**
 * The model item's update: the event position and the revision move on, guarded by the values the change was
 * planned from (an item written before `rev` existed has none). A model that does not exist yet gets its entity
 * header and listing key; a new name moves the listing key. Tag and alias keys may contain dots, so they are
 * attribute names, never split into paths.
 */
const modelUpdate = (
  db: DbContext,
  modelId: string,
  { seq, rev }: { seq: number; rev: number },
  nextSeq: number,
  change: RegistryChange<unknown>,
  exists: boolean,
): TransactWriteItem => {
  const fields: Record<string, unknown> = { ...change.set };
  if (change.set?.name !== undefined) Object.assign(fields, registeredModelListingKey(change.set.name));
  if (!exists) Object.assign(fields, newRegisteredModelAttributes(modelId));
  if (change.deleteModel) fields.deleted = true;
  const names: Record<string, string> = { '#seq': 'eventSeq', '#rev': 'rev' };
  const values: Item = { ':next': nextSeq, ':nextRev': rev + 1 };
  const sets = ['#seq = :next', '#rev = :nextRev'];
  Object.entries(fields).forEach(([attribute, value], index) => {
    names[`#s${index}`] = attribute;
    values[`:s${index}`] = value;
    sets.push(`#s${index} = :s${index}`);
  });
  const entries = [
    ...(change.setTags ?? []).map(({ key, value }) => ({ map: 'tags', key, value })),
    ...(change.setAliases ?? []).map(({ alias, version }) => ({ map: 'aliases', key: alias, value: version })),
  ];
  entries.forEach(({ map, key, value }, index) => {
    names[`#m${map}`] = map;
    names[`#sk${index}`] = key;
    values[`:sk${index}`] = value;
    sets.push(`#m${map}.#sk${index} = :sk${index}`);
  });
  const removed = [...(change.removeTags ?? []).map((key) => ({ map: 'tags', key })), ...(change.removeAliases ?? []).map((key) => ({ map: 'aliases', key }))];
  const removes = removed.map(({ map, key }, index) => {
    names[`#m${map}`] = map;
    names[`#rk${index}`] = key;
    return `#m${map}.#rk${index}`;
  });
  if (exists) values[':seq'] = seq;
  if (exists && rev > 0) values[':rev'] = rev;
  const revSeen = rev > 0 ? '#rev = :rev' : 'attribute_not_exists(#rev)';
  return {
    Update: {
      TableName: db.tableName,
      Key: toAttributes(registeredModelKey(modelId)),
      UpdateExpression: `SET ${sets.join(', ')}${removes.length ? ` REMOVE ${removes.join(', ')}` : ''}`,
      ConditionExpression: exists ? `#seq = :seq AND ${revSeen}` : 'attribute_not_exists(pk)',
      ...expression(names, values),
    },
  };
};
