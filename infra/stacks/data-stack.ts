import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import type { Construct } from 'constructs';
import { CairnData, type CairnDataProps } from '../constructs/cairn-data.js';

export interface DataStackProps extends StackProps, CairnDataProps {}

/**
 * The stateful stack: table, artifact bucket, webhook key and the first admin's secret. Everything is retained and
 * the stack is termination-protected (unless `retainData: false`), so deleting or replacing the API stack never
 * touches data.
 */
export class DataStack extends Stack {
  readonly table: ITable;
  readonly bucket: IBucket;
  readonly webhookSecret: ISecret;
  readonly adminSecret: ISecret;

  constructor(scope: Construct, id: string, props: DataStackProps = {}) {
    super(scope, id, { terminationProtection: props.retainData ?? true, ...props });
    const data = new CairnData(this, 'Data', props);
    this.table = data.trackingTable.table;
    this.bucket = data.artifactBucket.bucket;
    this.webhookSecret = data.webhookSecret;
    this.adminSecret = data.adminSecret;
    new CfnOutput(this, 'TableName', { value: this.table.tableName });
    new CfnOutput(this, 'ArtifactBucketName', { value: this.bucket.bucketName });
    new CfnOutput(this, 'WebhookSecretArn', { value: this.webhookSecret.secretArn });
    new CfnOutput(this, 'AdminSecretArn', {
      value: this.adminSecret.secretArn,
      description: "The first admin's user name and generated password (aws secretsmanager get-secret-value --secret-id <this>)",
    });
  }
}
