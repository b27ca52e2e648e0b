import { z } from 'zod';

/** Environment variable names, shared by the code and by infra (which sets them on the Lambdas). */
export const ENV = {
  tableName: 'CAIRN_TABLE_NAME',
  dynamoEndpoint: 'CAIRN_DYNAMODB_ENDPOINT',
  defaultArtifactRoot: 'CAIRN_DEFAULT_ARTIFACT_ROOT',
  artifactBucket: 'CAIRN_ARTIFACT_BUCKET',
  artifactPrefix: 'CAIRN_ARTIFACT_PREFIX',
  s3Endpoint: 'CAIRN_S3_ENDPOINT',
  artifactDownloads: 'CAIRN_ARTIFACT_DOWNLOADS',
  urlExpirySeconds: 'CAIRN_ARTIFACT_URL_EXPIRY_SECONDS',
  maxProxyUploadBytes: 'CAIRN_MAX_PROXY_UPLOAD_BYTES',
  /** Base64 of 32 random bytes: the AES-256-GCM key of stored webhook secrets (required in AWS). */
  webhookSecretKey: 'CAIRN_WEBHOOK_SECRET_KEY',
  /** ARN of the Secrets Manager secret holding that key; the stack sets this, the code reads the value. */
  webhookSecretArn: 'CAIRN_WEBHOOK_SECRET_ARN',
  /** `true` allows loopback, private and link-local webhook targets and plain http (local mode, tests). */
  webhookAllowPrivateTargets: 'CAIRN_WEBHOOK_ALLOW_PRIVATE_TARGETS',
  /** The webhook dispatcher's look-back window in milliseconds (default 5000). */
  webhookDispatchLagMs: 'CAIRN_WEBHOOK_DISPATCH_LAG_MS',
  /** ARN of the promotion state machine. Set: promotions deploy to SageMaker; unset: they are recorded only. */
  promotionStateMachineArn: 'CAIRN_PROMOTION_STATE_MACHINE_ARN',
  /** The SageMaker execution role deployments run with unless a policy names another allowed one. */
  sagemakerExecutionRoleArn: 'CAIRN_SAGEMAKER_EXECUTION_ROLE_ARN',
  /** Further execution roles a policy may name, comma-separated (the state machine may pass only these). */
  sagemakerAllowedRoleArns: 'CAIRN_SAGEMAKER_ALLOWED_ROLE_ARNS',
  /** The default serving image: MLflow's pyfunc serving image in the user's ECR. */
  servingImageUri: 'CAIRN_SERVING_IMAGE_URI',
  /** A user's permission on a resource without a grant: READ, EDIT, MANAGE or NO_PERMISSIONS (the default). */
  defaultPermission: 'CAIRN_DEFAULT_PERMISSION',
  /** The permission of a SigV4 principal no admin mapped to a user (default NO_PERMISSIONS). */
  unmappedPrincipalPermission: 'CAIRN_UNMAPPED_PRINCIPAL_PERMISSION',
  /** Days audit entries are kept (default 90). */
  auditRetentionDays: 'CAIRN_AUDIT_RETENTION_DAYS',
  /** The first admin, created at start-up when no user of that name exists. */
  adminUsername: 'CAIRN_ADMIN_USERNAME',
  adminPassword: 'CAIRN_ADMIN_PASSWORD',
  /** ARN of the Secrets Manager secret holding the first admin as `{"username", "password"}`; the stack sets this. */
  adminSecretArn: 'CAIRN_ADMIN_SECRET_ARN',
} as const;

const EnvSchema = z.object({
  [ENV.tableName]: z.string().min(3),
  [ENV.dynamoEndpoint]: z.string().url().optional(),
  [ENV.defaultArtifactRoot]: z.string().default('mlflow-artifacts:/'),
  [ENV.artifactBucket]: z.string().min(3).optional(),
  [ENV.artifactPrefix]: z.string().default(''),
  [ENV.s3Endpoint]: z.string().url().optional(),
  [ENV.artifactDownloads]: z.enum(['redirect', 'stream']).default('redirect'),
  [ENV.urlExpirySeconds]: z.coerce.number().int().min(1).max(604800).default(900),
  // Lambda takes at most 6 MB of payload, and binary bodies arrive base64-encoded: 4 MiB of file is safe.
  [ENV.maxProxyUploadBytes]: z.coerce.number().int().min(1).default(4 * 1024 * 1024),
});

export interface CairnSettings {
  tableName: string;
  dynamoEndpoint?: string;
  defaultArtifactRoot: string;
  /** The artifact bucket; without it the API serves no artifact routes. */
  artifacts?: {
    bucket: string;
    prefix: string;
    s3Endpoint?: string;
    downloads: 'redirect' | 'stream';
    urlExpirySeconds: number;
    maxProxyUploadBytes: number;
  };
}

/** Reads and checks the settings once, at start-up: a wrong setting stops the process with its name. */
export const loadSettings = (env: NodeJS.ProcessEnv = process.env): CairnSettings => {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`invalid setting ${String(issue?.path[0])}: ${issue?.message}`);
  }
  const bucket = parsed.data[ENV.artifactBucket];
  return {
    tableName: parsed.data[ENV.tableName],
    dynamoEndpoint: parsed.data[ENV.dynamoEndpoint],
    defaultArtifactRoot: parsed.data[ENV.defaultArtifactRoot],
    artifacts: bucket
      ? {
          bucket,
          prefix: parsed.data[ENV.artifactPrefix].replace(/^\/+|\/+$/g, ''),
          s3Endpoint: parsed.data[ENV.s3Endpoint],
          downloads: parsed.data[ENV.artifactDownloads],
          urlExpirySeconds: parsed.data[ENV.urlExpirySeconds],
          maxProxyUploadBytes: parsed.data[ENV.maxProxyUploadBytes],
        }
      : undefined,
  };
};
