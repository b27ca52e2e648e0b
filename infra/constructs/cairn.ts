import { CfnOutput } from 'aws-cdk-lib';
import type { Table } from 'aws-cdk-lib/aws-dynamodb';
import type { Bucket } from 'aws-cdk-lib/aws-s3';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { CairnData, type CairnDataProps } from './cairn-data.js';
import { CairnService, type CairnServiceProps } from './cairn-service.js';
import { UiDistribution, type UiOptions } from './ui-distribution.js';

export interface CairnProps extends CairnDataProps, Omit<CairnServiceProps, 'table' | 'bucket' | 'webhookSecret' | 'adminSecret'>, UiOptions {}

/**
 * Cairn in one construct, for adding it to your own CDK app:
 *
 *   new Cairn(stack, 'Cairn', { allowedOrigins: ['https://ml.example.com'], alarmEmail: 'ops@example.com' });
 *
 * It builds the same pieces as Cairn's own two stacks (DataStack and ApiStack) in one scope: table, bucket,
 * webhook key and first admin's secret (retained when the stack is deleted, unless `retainData: false`), then the
 * functions, the REST API, webhook dispatch and alarms, and the web UI on CloudFront (built UI from `uiAssetPath`,
 * default `ui/dist`). Outputs: TrackingUri, TrackingUriIam, UiUrl, ArtifactBucketName, TableName, AdminSecretArn.
 */
export class Cairn extends Construct {
  readonly data: CairnData;
  readonly service: CairnService;
  readonly ui: UiDistribution;

  constructor(scope: Construct, id: string, props: CairnProps = {}) {
    super(scope, id);
    this.data = new CairnData(this, 'Data', props);
    this.service = new CairnService(this, 'Service', {
      ...props,
      table: this.data.trackingTable.table,
      bucket: this.data.artifactBucket.bucket,
      webhookSecret: this.data.webhookSecret,
      adminSecret: this.data.adminSecret,
    });
    new CfnOutput(this, 'TrackingUri', { value: this.trackingUri, description: 'MLFLOW_TRACKING_URI for Basic/Bearer tokens' });
    new CfnOutput(this, 'TrackingUriIam', { value: this.iamTrackingUri, description: 'MLFLOW_TRACKING_URI with MLFLOW_TRACKING_AWS_SIGV4=true' });
    this.ui = new UiDistribution(this, 'Ui', {
      ...props,
      restApi: this.service.restApi,
      artifactBucket: this.bucket,
    });
    this.ui.addOutputs(this);
    new CfnOutput(this, 'ArtifactBucketName', { value: this.bucket.bucketName });
    new CfnOutput(this, 'TableName', { value: this.table.tableName });
    new CfnOutput(this, 'AdminSecretArn', {
      value: this.data.adminSecret.secretArn,
      description: "The first admin's user name and generated password (aws secretsmanager get-secret-value --secret-id <this>)",
    });
  }

  get table(): Table {
    return this.data.trackingTable.table;
  }

  get bucket(): Bucket {
    return this.data.artifactBucket.bucket;
  }

  get webhookSecret(): ISecret {
    return this.data.webhookSecret;
  }

  get trackingUri(): string {
    return this.service.trackingUri;
  }

  get iamTrackingUri(): string {
    return this.service.iamTrackingUri;
  }
}
