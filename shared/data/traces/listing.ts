import { QueryCommand, type AttributeValue } from '@aws-sdk/client-dynamodb';
import type { TraceInfo } from '../../domain/genai/entities.js';
import type { TraceInfoPage, TraceListCondition, TraceListQuery } from '../../domain/genai/ports.js';
import { invalidParameter } from '../../errors/index.js';
import type { DbContext } from '../db-context.js';
import { expression, fromAttributes, send, toAttributes, type Item } from '../dynamo-ops.js';
import { TABLE } from '../table-definition.js';
import { fromTraceInfoItem } from './codec.js';
import { traceListingPartition, traceListingSort } from './keys.js';

/** Page cursors: the last key read, as DynamoDB gave it (gsi1's and the table's keys). */
const encodeCursor = (key: Record<string, AttributeValue>) => Buffer.from(JSON.stringify(fromAttributes(key))).toString('base64url');
const decodeCursor = (cursor: string): Record<string, AttributeValue> => {
  try {
    const key = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown;
    if (typeof key !== 'object' || key === null || Array.isArray(key)) throw new Error('not a key');
    const entries = Object.entries(key as Record<string, unknown>);
    if (entries.length !== 4 || entries.some(([, v]) => typeof v !== 'string')) throw new Error('not a key');
    return toAttributes(key as Item);
  } catch {
    throw invalidParameter('Invalid page token.');
  }
};

/** One `where` condition as a filter expression, its names and values added under `#w<id>…` and `:w<id>`. */
const whereExpression = (condition: TraceListCondition, id: number | string, names: Record<string, string>, values: Item): string => {
  if ('anyOf' in condition) {
    return `(${condition.anyOf.map((c, i) => whereExpression(c, `${id}o${i}`, names, values)).join(' OR ')})`;
  }
  const { path, op, value } = condition;
  const parts = path.map((part, i) => {
    names[`#w${id}p${i}`] = part;
    return `#w${id}p${i}`;
  });
  values[`:w${id}`] = value;
  const attribute = parts.join('.');
  return op === 'begins_with' || op === 'contains' ? `${op}(${attribute}, :w${id})` : `${attribute} ${op} :w${id}`;
};

/**
 * One page of the experiment's infos from gsi1: the request-time range in the key condition, states as a filter.
 * DynamoDB counts filtered-out items against a query's Limit, so queries go on until the page is full or the
 * listing ends; a page cut short of a query's end continues after its last item.
 */
export const listPage = async (db: DbContext, experimentId: string, query: TraceListQuery): Promise<TraceInfoPage> => {
  const { partitionKey, sortKey, name } = TABLE.indexes.byOwner;
  const limit = Math.max(1, Math.min(1000, Math.trunc(query.limit)));
  const values: Item = { ':pk': traceListingPartition(experimentId) };
  const { fromTime, toTime } = query;
  let range = '';
  if (fromTime !== undefined && toTime !== undefined) {
    range = ' AND #sk BETWEEN :from AND :to';
    values[':from'] = traceListingSort(fromTime, '');
    values[':to'] = traceListingSort(toTime, '\uffff');
  } else if (fromTime !== undefined) {
    range = ' AND #sk >= :from';
    values[':from'] = traceListingSort(fromTime, '');
  } else if (toTime !== undefined) {
    range = ' AND #sk < :to';
    values[':to'] = traceListingSort(toTime + 1, '');
  }
  const keyCondition = `#pk = :pk${range}`;
  const states = query.states ?? [];
  states.forEach((state, index) => (values[`:s${index}`] = state));
  const names: Record<string, string> = { '#pk': partitionKey, ...(range ? { '#sk': sortKey } : {}), ...(states.length > 0 ? { '#state': 'state' } : {}) };
  const conditions = [
    ...(states.length > 0 ? [`#state IN (${states.map((_, index) => `:s${index}`).join(', ')})`] : []),
    ...(query.where ?? []).map((condition, index) => whereExpression(condition, index, names, values)),
  ];
  const filter = conditions.length > 0 ? { FilterExpression: conditions.join(' AND ') } : {};

  const infos: TraceInfo[] = [];
  let startKey = query.cursor ? decodeCursor(query.cursor) : undefined;
  for (;;) {
    const remaining = limit - infos.length;
    const page = await send(() =>
      db.client.send(
        new QueryCommand({
          TableName: db.tableName,
          IndexName: name,
          KeyConditionExpression: keyCondition,
          ScanIndexForward: query.order === 'asc',
          // A filtered query counts the items it leaves out against Limit: evaluate a full page's worth each call.
          Limit: conditions.length > 0 ? Math.max(remaining, 1000) : remaining,
          ExclusiveStartKey: startKey,
          ...filter,
          ...expression(names, values),
        }),
      ),
    );
    const items = (page.Items ?? []).map(fromAttributes);
    const taken = items.slice(0, remaining);
    infos.push(...taken.map((item) => fromTraceInfoItem(item).info));
    if (taken.length < items.length) {
      const last = taken[taken.length - 1] as Item;
      return { infos, cursor: encodeCursor(toAttributes({ pk: last.pk, sk: last.sk, [partitionKey]: last[partitionKey], [sortKey]: last[sortKey] })) };
    }
    startKey = page.LastEvaluatedKey;
    if (!startKey) return { infos };
    if (infos.length >= limit) return { infos, cursor: encodeCursor(startKey) };
  }
};
