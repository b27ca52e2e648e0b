import { RemovalPolicy, Validations } from 'aws-cdk-lib';
import { BlockPublicAccess, Bucket, BucketEncryption, ObjectOwnership, type IBucket } from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';

export interface UiBucketProps {
  /**
   * Where S3 server access logs go.
   * @default - none: CloudFront is the only reader, and its access logs (when enabled) record every request
   */
  readonly serverAccessLogsBucket?: IBucket;
}

/**
 * The built web UI, read by CloudFront alone (origin access control): public access blocked, ACLs off,
 * TLS-only, encrypted with S3-managed keys (OAC reads SSE-S3 objects without a KMS grant).
 *
 * Unversioned and destroyed with the stack: its content is rebuilt from the repository on every deploy, and
 * the deployment empties it when it is removed, so deleting the stack leaves nothing behind.
 */
export class UiBucket extends Construct {
  readonly bucket: Bucket;

  constructor(scope: Construct, id: string, props: UiBucketProps = {}) {
    super(scope, id);
    this.bucket = new Bucket(this, 'Bucket', {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      enforceSSL: true,
      minimumTLSVersion: 1.2,
      encryption: BucketEncryption.S3_MANAGED,
      removalPolicy: RemovalPolicy.DESTROY,
      ...(props.serverAccessLogsBucket ? { serverAccessLogsBucket: props.serverAccessLogsBucket, serverAccessLogsPrefix: 'cairn-ui/' } : {}),
    });
    if (!props.serverAccessLogsBucket) {
      Validations.of(this.bucket).acknowledge({
        id: 'AwsSolutions-S1',
        reason:
          'Only CloudFront reads this bucket (origin access control), and only public UI files are in it; pass ' +
          'serverAccessLogsBucket to log its S3 requests too.',
      });
    }
  }
}
