import type { CreateTableCommandInput } from '@aws-sdk/client-dynamodb';

/**
 * The single table every aggregate lives in. Infra (CDK), the repositories, `npm start` and the tests all
 * build the table from this one definition. The access patterns are written down in shared/data/README.md.
 */
export const TABLE = {
  partitionKey: 'pk',
  sortKey: 'sk',
  indexes: {
    /** Listings by owner: experiments, logged models of an experiment. */
    byOwner: { name: 'gsi1', partitionKey: 'gsi1pk', sortKey: 'gsi1sk' },
    /**
     * Run summary items per experiment shard, sorted by update time: how a search or a rebuild loads an
     * experiment that has no search snapshot yet (shared/data/runs/run-reads.ts readRunsFromFeed).
     */
    runChanges: { name: 'gsi2', partitionKey: 'gsi2pk', sortKey: 'gsi2sk' },
  },
  entityTypeAttribute: '_et',
  schemaVersionAttribute: '_v',
  /** Epoch seconds after which DynamoDB may delete an item (audit entries: shared/data/audit/codec.ts). */
  timeToLiveAttribute: 'expiresAt',
} as const;

/** CreateTable input for a table named `tableName`, on-demand. Infra mirrors these keys and indexes. */
export const createTableInput = (tableName: string): CreateTableCommandInput => {
  const { byOwner, runChanges } = TABLE.indexes;
  const stringAttributes = [
    TABLE.partitionKey,
    TABLE.sortKey,
    byOwner.partitionKey,
    byOwner.sortKey,
    runChanges.partitionKey,
    runChanges.sortKey,
  ];
  return {
    TableName: tableName,
    BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: stringAttributes.map((name) => ({ AttributeName: name, AttributeType: 'S' })),
    KeySchema: [
      { AttributeName: TABLE.partitionKey, KeyType: 'HASH' },
      { AttributeName: TABLE.sortKey, KeyType: 'RANGE' },
    ],
    GlobalSecondaryIndexes: [byOwner, runChanges].map((index) => ({
      IndexName: index.name,
      KeySchema: [
        { AttributeName: index.partitionKey, KeyType: 'HASH' },
        { AttributeName: index.sortKey, KeyType: 'RANGE' },
      ],
      Projection: { ProjectionType: 'ALL' },
    })),
  };
};
