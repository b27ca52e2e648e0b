import { RemovalPolicy } from 'aws-cdk-lib';
import { AttributeType, BillingMode, ProjectionType, StreamViewType, Table, TableEncryption, type Attribute } from 'aws-cdk-lib/aws-dynamodb';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import type { AttributeDefinition, KeySchemaElement } from '@aws-sdk/client-dynamodb';
import { createTableInput, TABLE } from '../../shared/data/table-definition.js';

export interface TrackingTableProps {
  /**
   * Keep the table (and its deletion protection) when the stack is deleted.
   * @default true
   */
  readonly retain?: boolean;
  /**
   * A customer-managed KMS key for the table and its stream.
   * @default - the AWS-managed key `aws/dynamodb`
   */
  readonly encryptionKey?: IKey;
}

const ATTRIBUTE_TYPES: Record<string, AttributeType> = { S: AttributeType.STRING, N: AttributeType.NUMBER, B: AttributeType.BINARY };

/**
 * The single table of every aggregate, built from the same definition as the repositories, `npm start` and the
 * tests (`createTableInput` in shared/data/table-definition.ts): keys, GSIs and billing mode are never retyped.
 * Point-in-time recovery, deletion protection, KMS encryption, a NEW_IMAGE stream (the registry's events
 * wake the webhook dispatcher) and TTL on `expiresAt` (the audit log's retention) come on top.
 */
export class TrackingTable extends Construct {
  readonly table: Table;

  constructor(scope: Construct, id: string, props: TrackingTableProps = {}) {
    super(scope, id);
    const retain = props.retain ?? true;
    // The name is CloudFormation's; only the shape of the definition is used.
    const definition = createTableInput('unused');
    const attributes = new Map((definition.AttributeDefinitions ?? []).map((a: AttributeDefinition) => [a.AttributeName, a.AttributeType]));
    const key = (schema: KeySchemaElement[] | undefined, type: 'HASH' | 'RANGE'): Attribute | undefined => {
      const name = schema?.find((element) => element.KeyType === type)?.AttributeName;
      if (name === undefined) return undefined;
      const attributeType = ATTRIBUTE_TYPES[attributes.get(name) ?? ''];
      if (!attributeType) throw new Error(`table definition: attribute ${name} has no S, N or B definition`);
      return { name, type: attributeType };
    };
    const partitionKey = key(definition.KeySchema, 'HASH');
    if (!partitionKey) throw new Error('table definition: no partition key');
    if (definition.BillingMode !== 'PAY_PER_REQUEST') throw new Error('table definition: expected on-demand billing');

    this.table = new Table(this, 'Table', {
      partitionKey,
      sortKey: key(definition.KeySchema, 'RANGE'),
      billingMode: BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      deletionProtection: retain,
      ...(props.encryptionKey
        ? { encryption: TableEncryption.CUSTOMER_MANAGED, encryptionKey: props.encryptionKey }
        : { encryption: TableEncryption.AWS_MANAGED }),
      stream: StreamViewType.NEW_IMAGE,
      timeToLiveAttribute: TABLE.timeToLiveAttribute,
      removalPolicy: retain ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });

    for (const index of definition.GlobalSecondaryIndexes ?? []) {
      const indexPartitionKey = key(index.KeySchema, 'HASH');
      if (!index.IndexName || !indexPartitionKey) throw new Error('table definition: GSI without a name or partition key');
      if (index.Projection?.ProjectionType !== 'ALL') throw new Error(`table definition: ${index.IndexName} must project ALL`);
      this.table.addGlobalSecondaryIndex({
        indexName: index.IndexName,
        partitionKey: indexPartitionKey,
        sortKey: key(index.KeySchema, 'RANGE'),
        projectionType: ProjectionType.ALL,
      });
    }
  }
}
