import { ScanCommand, type AttributeValue, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { TABLE } from '../../shared/data/table-definition.js';
import { brief } from './render.js';

/** Every item of the table, by key, as JSON text: what a refused request must leave as it found it. */
export type TableSnapshot = Map<string, string>;

export const snapshotTable = async (client: DynamoDBClient, tableName: string): Promise<TableSnapshot> => {
  const items: TableSnapshot = new Map();
  let start: Record<string, AttributeValue> | undefined;
  do {
    const page = await client.send(new ScanCommand({ TableName: tableName, ExclusiveStartKey: start, ConsistentRead: true }));
    for (const item of page.Items ?? []) {
      const key = `${item[TABLE.partitionKey]?.S ?? '?'} | ${item[TABLE.sortKey]?.S ?? '?'}`;
      items.set(key, canonical(item));
    }
    start = page.LastEvaluatedKey;
  } while (start);
  return items;
};

/** JSON with keys sorted at every level: engines answer an item's attributes in no fixed order. */
const canonical = (value: unknown): string => {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value instanceof Uint8Array) return JSON.stringify(Buffer.from(value).toString('base64'));
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
};

/** The keys added, removed and changed between two snapshots, briefly. */
export const tableDiff = (before: TableSnapshot, after: TableSnapshot): string[] => {
  const changes: string[] = [];
  for (const [key, item] of after) {
    if (!before.has(key)) changes.push(`added ${brief(key, 80)}`);
    else if (before.get(key) !== item) changes.push(`changed ${brief(key, 80)}`);
  }
  for (const key of before.keys()) if (!after.has(key)) changes.push(`removed ${brief(key, 80)}`);
  return changes;
};
