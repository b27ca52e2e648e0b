import type { IKey } from 'aws-cdk-lib/aws-kms';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import { Secret, type ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { AdminSecret } from './admin-secret.js';
import { ArtifactBucket } from './artifact-bucket.js';
import { TrackingTable } from './tracking-table.js';
import { WebhookSecretKey } from './webhook-secret-key.js';

export interface CairnDataProps {
  /**
   * Origins of browser clients allowed to use presigned artifact URLs.
   * @default ['*']
   */
  readonly allowedOrigins?: string[];
  /**
   * Keep the table, bucket and generated webhook key when the stack is deleted.
   * @default true
   */
  readonly retainData?: boolean;
  /**
   * A customer-managed KMS key for the table.
   * @default - the AWS-managed key
   */
  readonly tableEncryptionKey?: IKey;
  /**
   * An existing webhook key secret (complete ARN): 43 base64 characters.
   * @default - a generated one
   */
  readonly webhookSecretArn?: string;
  /**
   * The user name of the first admin, whose password is generated into a secret (AdminSecret).
   * @default 'admin'
   */
  readonly adminUsername?: string;
  /**
   * Where the bucket's server access logs go.
   * @default - none
   */
  readonly serverAccessLogsBucket?: IBucket;
}

/**
 * Cairn's stateful half: the table, the artifact bucket, the webhook key and the first admin's secret, all
 * retained by default.
 */
export class CairnData extends Construct {
  readonly trackingTable: TrackingTable;
  readonly artifactBucket: ArtifactBucket;
  readonly webhookSecret: ISecret;
  readonly adminSecret: ISecret;

  constructor(scope: Construct, id: string, props: CairnDataProps = {}) {
    super(scope, id);
    const retain = props.retainData ?? true;
    this.trackingTable = new TrackingTable(this, 'Tracking', {
      retain,
      ...(props.tableEncryptionKey ? { encryptionKey: props.tableEncryptionKey } : {}),
    });
    this.artifactBucket = new ArtifactBucket(this, 'Artifacts', {
      allowedOrigins: props.allowedOrigins ?? ['*'],
      retain,
      ...(props.serverAccessLogsBucket ? { serverAccessLogsBucket: props.serverAccessLogsBucket } : {}),
    });
    this.webhookSecret = props.webhookSecretArn
      ? Secret.fromSecretCompleteArn(this, 'WebhookKey', props.webhookSecretArn)
      : new WebhookSecretKey(this, 'WebhookKey', { retain }).secret;
    this.adminSecret = new AdminSecret(this, 'Admin', { retain, ...(props.adminUsername ? { username: props.adminUsername } : {}) }).secret;
  }
}
