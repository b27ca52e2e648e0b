import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';

/** What every repository needs: a client and the table's name. Built once per process (Lambda cold start). */
export interface DbContext {
  readonly client: DynamoDBClient;
  readonly tableName: string;
}
