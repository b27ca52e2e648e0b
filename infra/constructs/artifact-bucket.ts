import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import { BlockPublicAccess, Bucket, BucketEncryption, HttpMethods, ObjectOwnership, type CorsRule, type IBucket } from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { artifactBucketCorsRules } from '../../shared/storage/bucket-cors.js';

export interface ArtifactBucketProps {
  /** Origins of browser clients that move bytes with presigned URLs (shared/storage/bucket-cors.ts). */
  readonly allowedOrigins: string[];
  /**
   * Keep the bucket when the stack is deleted.
   * @default true
   */
  readonly retain?: boolean;
  /**
   * Where S3 server access logs go.
   * @default - none: API Gateway's access logs record who asked for each presigned URL
   */
  readonly serverAccessLogsBucket?: IBucket;
  /**
   * How long an overwritten or deleted artifact's old version is kept.
   * @default Duration.days(30)
   */
  readonly noncurrentVersionExpiration?: Duration;
}

const METHODS: Record<string, HttpMethods> = {
  GET: HttpMethods.GET,
  HEAD: HttpMethods.HEAD,
  PUT: HttpMethods.PUT,
  POST: HttpMethods.POST,
  DELETE: HttpMethods.DELETE,
};

/** The shared CORS rules (S3 API shape) in CDK's shape. */
export const toCdkCorsRules = (allowedOrigins: string[]): CorsRule[] =>
  artifactBucketCorsRules(allowedOrigins).map((rule) => ({
    allowedMethods: (rule.AllowedMethods ?? []).map((method) => {
      const mapped = METHODS[method];
      if (!mapped) throw new Error(`bucket CORS: unsupported method ${method}`);
      return mapped;
    }),
    allowedOrigins: rule.AllowedOrigins ?? [],
    ...(rule.AllowedHeaders ? { allowedHeaders: rule.AllowedHeaders } : {}),
    ...(rule.ExposeHeaders ? { exposedHeaders: rule.ExposeHeaders } : {}),
    ...(rule.MaxAgeSeconds !== undefined ? { maxAge: rule.MaxAgeSeconds } : {}),
  }));

/**
 * Artifacts and logged models. Clients move the bytes with presigned URLs (GET, PUT, multipart UploadPart), so
 * the bucket is private (public access blocked, ACLs off), TLS-only, encrypted and versioned; abandoned
 * multipart uploads are aborted after a day, old versions expire, and CORS lets browser clients use the URLs.
 */
export class ArtifactBucket extends Construct {
  readonly bucket: Bucket;

  constructor(scope: Construct, id: string, props: ArtifactBucketProps) {
    super(scope, id);
    const retain = props.retain ?? true;
    this.bucket = new Bucket(this, 'Bucket', {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      enforceSSL: true,
      minimumTLSVersion: 1.2,
      encryption: BucketEncryption.S3_MANAGED,
      versioned: true,
      lifecycleRules: [
        { id: 'abort-incomplete-multipart-uploads', abortIncompleteMultipartUploadAfter: Duration.days(1) },
        {
          id: 'expire-noncurrent-versions',
          noncurrentVersionExpiration: props.noncurrentVersionExpiration ?? Duration.days(30),
          expiredObjectDeleteMarker: true,
        },
      ],
      cors: toCdkCorsRules(props.allowedOrigins),
      removalPolicy: retain ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
      ...(props.serverAccessLogsBucket ? { serverAccessLogsBucket: props.serverAccessLogsBucket, serverAccessLogsPrefix: 'cairn-artifacts/' } : {}),
    });
    if (!props.serverAccessLogsBucket) {
      Validations.of(this.bucket).acknowledge({
        id: 'AwsSolutions-S1',
        reason:
          'Reads and writes are made with presigned URLs that the API hands out; API Gateway access logs record who ' +
          'asked for each. Pass serverAccessLogsBucket (or enable CloudTrail S3 data events) to log the S3 requests too.',
      });
    }
  }
}
