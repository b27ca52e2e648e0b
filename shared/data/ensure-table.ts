import {
  CreateTableCommand,
  DescribeTableCommand,
  DescribeTimeToLiveCommand,
  ResourceInUseException,
  UpdateTimeToLiveCommand,
} from '@aws-sdk/client-dynamodb';
import type { DbContext } from './db-context.js';
import { createTableInput, TABLE } from './table-definition.js';

/** Creates the table if it is missing and waits until it is ACTIVE. Used by local mode and tests, never in AWS. */
export const ensureTable = async ({ client, tableName }: DbContext): Promise<void> => {
  try {
    await client.send(new CreateTableCommand(createTableInput(tableName)));
  } catch (error) {
    if (!(error instanceof ResourceInUseException)) throw error;
  }
  for (let attempt = 0; attempt < 100; attempt++) {
    const { Table } = await client.send(new DescribeTableCommand({ TableName: tableName }));
    if (Table?.TableStatus === 'ACTIVE') return ensureTimeToLive({ client, tableName });
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`table ${tableName} did not become ACTIVE`);
};

/**
 * TTL on the audit log's expiry attribute, as the stack sets it in AWS. DynamoDB Local and dynoxide both accept
 * the setting (a table made before it existed gets it on the next start); whether and when they delete expired
 * items is theirs to decide, and listings never read past the retention either way.
 */
const ensureTimeToLive = async ({ client, tableName }: DbContext): Promise<void> => {
  const enabled = async () => {
    const { TimeToLiveDescription } = await client.send(new DescribeTimeToLiveCommand({ TableName: tableName }));
    const status = TimeToLiveDescription?.TimeToLiveStatus;
    return status === 'ENABLED' || status === 'ENABLING';
  };
  if (await enabled()) return;
  try {
    await client.send(
      new UpdateTimeToLiveCommand({
        TableName: tableName,
        TimeToLiveSpecification: { AttributeName: TABLE.timeToLiveAttribute, Enabled: true },
      }),
    );
  } catch (error) {
    // Another process starting on the same table may have turned it on in between (DynamoDB refuses a second time).
    if (!(await enabled())) throw error;
  }
};
