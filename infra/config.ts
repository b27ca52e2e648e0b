import { z } from 'zod';
import { PERMISSIONS } from '../shared/domain/auth/permissions.js';

/**
 * Deployment settings, read from CDK context (`cdk.json` "context", or `-c key=value` on the command line,
 * where every value arrives as a string). A wrong value stops synthesis with the key's name.
 *
 *   npx cdk deploy --all -c stage=prod -c allowedOrigins=https://ml.example.com -c alarmEmail=ops@example.com
 */

/** Values CloudWatch Logs accepts as a retention period, in days. */
const RETENTION_DAYS = [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653];

/** `true`/`false` from cdk.json, or their string forms from `-c`. */
const flag = z.union([z.boolean(), z.enum(['true', 'false']).transform((value) => value === 'true')]);

/** A whole number, given as a number or as its digits. */
const count = z.coerce.number().int().positive();

/** A list, given as a JSON array or as a comma-separated string (`-c allowedOrigins=https://a,https://b`). */
const list = z.union([
  z.array(z.string()),
  z.string().transform((value) =>
    value
      .split(',')
      .map((item) => item.trim())
      .filter((item) => item !== ''),
  ),
]);

/** `<registry>/<repository>[:<tag>|@sha256:<digest>]`, the form SageMaker's PrimaryContainer.Image takes. */
const IMAGE_URI = /^[a-z0-9][a-z0-9.-]*(:\d+)?\/[a-z0-9][a-z0-9._/-]*(:\w[\w.-]{0,127}|@sha256:[0-9a-f]{64})?$/;

export const CairnConfigSchema = z.object({
  /** Names the stacks (`Cairn-<stage>-Data`, `Cairn-<stage>-Api`) and the API Gateway stage. */
  stage: z
    .string()
    .regex(/^[a-z][a-z0-9-]{0,19}$/, 'use 1 to 20 lower-case letters, digits or dashes, starting with a letter')
    .default('dev'),
  /**
   * Origins of browser clients allowed to use presigned artifact URLs (bucket CORS). `*` is safe enough for a
   * start: a presigned URL is its own credential, and CORS only decides whether a page may read the answer.
   */
  allowedOrigins: list
    .pipe(z.array(z.string().regex(/^(\*|https?:\/\/[^/\s]+)$/, 'use * or origins such as https://ml.example.com (no path)')).min(1))
    .default(['*']),
  /** Alarm notifications go to this address (an SNS topic is created only when it is set). */
  alarmEmail: z.email().optional(),
  /** Keep the table, the bucket and the webhook key when their stack is deleted. Turn off only for throw-away stages. */
  retainData: flag.default(true),
  /**
   * An existing Secrets Manager secret (complete ARN) holding the webhook key: 43 base64 characters, 32 bytes.
   * Omitted: the data stack generates one.
   */
  webhookSecretArn: z
    .string()
    .regex(/^arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:\d{12}:secret:.+-[A-Za-z0-9]{6}$/, 'expected the complete ARN of a secret')
    .optional(),
  /** Key prefix of artifacts in the bucket; the API may touch nothing outside it. */
  artifactPrefix: z
    .string()
    .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*(\/[A-Za-z0-9][A-Za-z0-9._-]*)*$/, 'use path segments without leading or trailing slashes')
    .default('mlflow'),
  /** Stage-wide API Gateway throttling: steady requests per second and burst. */
  throttleRateLimit: count.default(500),
  throttleBurstLimit: count.default(1000),
  /** Retention of the Lambda and access log groups. */
  logRetentionDays: z.coerce
    .number()
    .refine((days) => RETENTION_DAYS.includes(days), `use one of ${RETENTION_DAYS.join(', ')}`)
    .default(30),
  /**
   * Create the account's API Gateway CloudWatch role (needed once per account and region for access and
   * execution logs). Turn off when another stack already sets it.
   */
  apiGatewayCloudWatchRole: flag.default(true),
  /** A regional WAFv2 web ACL to associate with the API stage. */
  webAclArn: z.string().startsWith('arn:').optional(),
  /**
   * The default serving image of promotions to SageMaker: MLflow's pyfunc serving image pushed to your ECR
   * (`<account>.dkr.ecr.<region>.amazonaws.com/<repository>:<tag>`). Omitted: deployment policies name their image.
   */
  servingImageUri: z
    .string()
    .regex(IMAGE_URI, 'expected an image URI such as 123456789012.dkr.ecr.eu-west-1.amazonaws.com/mlflow-pyfunc:2.0.7')
    .optional(),
  /**
   * SageMaker execution roles (ARNs) a deployment policy may name besides the one Cairn creates: the promotion
   * state machine may pass these and no others.
   */
  sagemakerExecutionRoleArns: list
    .pipe(z.array(z.string().regex(/^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]+$/, 'expected IAM role ARNs')))
    .optional(),
  /** A user's permission on an experiment or registered model without a grant; NO_PERMISSIONS shows nobody anything ungranted. */
  defaultPermission: z.enum(PERMISSIONS).default('NO_PERMISSIONS'),
  /** The permission of a SigV4 principal no admin mapped to a user. */
  unmappedPrincipalPermission: z.enum(PERMISSIONS).default('NO_PERMISSIONS'),
  /** How long the audit log keeps entries, in days. */
  auditRetentionDays: count.pipe(z.number().max(3653)).default(90),
  /** The first admin's user name; the password is generated into a secret (output AdminSecretArn). */
  adminUsername: z
    .string()
    .regex(/^[^:\s]{1,64}$/, 'use 1 to 64 characters, without spaces or ":"')
    .default('admin'),
  /** The built web UI to deploy (a folder with index.html). Omitted: `ui/dist`, built by `cdk synth` when stale. */
  uiAssetPath: z.string().min(1).optional(),
  /** A custom domain for the web UI; needs uiCertificateArn. */
  uiDomainName: z
    .string()
    .regex(/^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/, 'expected a host name such as ml.example.com')
    .optional(),
  /** The ACM certificate of uiDomainName, which CloudFront requires in us-east-1. */
  uiCertificateArn: z
    .string()
    .regex(/^arn:aws[a-z-]*:acm:us-east-1:\d{12}:certificate\/[\w-]+$/, 'expected the ARN of an ACM certificate in us-east-1')
    .optional(),
  /** CloudFront edge locations: 100 (North America, Europe), 200 (and most of Asia, Africa, Middle East) or All. */
  uiPriceClass: z.enum(['100', '200', 'All']).default('100'),
  /** A WAFv2 web ACL of scope CLOUDFRONT (us-east-1) for the UI's distribution (webAclArn is the API stage's). */
  uiWebAclArn: z
    .string()
    .regex(/^arn:aws[a-z-]*:wafv2:us-east-1:\d{12}:global\/webacl\/.+$/, 'expected the ARN of a CLOUDFRONT-scope web ACL (us-east-1, global/webacl/...)')
    .optional(),
});

export type CairnConfig = z.infer<typeof CairnConfigSchema>;

/** The context keys read, one per setting. */
export const CONFIG_KEYS = Object.keys(CairnConfigSchema.shape) as (keyof CairnConfig)[];

/**
 * Checks the settings found in context. `read(key)` answers a context value or undefined.
 * @throws Error naming the first wrong setting.
 */
export const loadConfig = (read: (key: string) => unknown): CairnConfig => {
  const raw = Object.fromEntries(CONFIG_KEYS.map((key) => [key, read(key)]).filter(([, value]) => value !== undefined));
  const parsed = CairnConfigSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`invalid context value ${issue?.path.join('.') || '?'}: ${issue?.message}`);
  }
  return parsed.data;
};
