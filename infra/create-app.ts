import { App, Duration, Validations } from 'aws-cdk-lib';
import { PriceClass } from 'aws-cdk-lib/aws-cloudfront';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { AwsSolutionsChecks, ServerlessChecks } from 'cdk-nag';
import { loadConfig, type CairnConfig } from './config.js';
import { ApiStack } from './stacks/api-stack.js';
import { DataStack } from './stacks/data-stack.js';

export interface CreateAppOptions {
  /** Register the AwsSolutions and Serverless packs, so any unacknowledged finding fails synthesis. */
  readonly nag: boolean;
  /**
   * Build the UI into `ui/dist` when it is missing or older than its sources, unless context names a built
   * folder (`uiAssetPath`). The CLI's app does; tests pass a folder.
   */
  readonly buildUi?: (() => void) | undefined;
  /** Context on top of cdk.json's and the command line's (tests: `{ 'aws:cdk:bundling-stacks': [] }`, settings). */
  readonly context?: Record<string, unknown>;
}

export interface CairnApp {
  readonly app: App;
  readonly config: CairnConfig;
  readonly dataStack: DataStack;
  readonly apiStack: ApiStack;
}

/**
 * Feature flags the constructs rely on, set here rather than in cdk.json so tests (which build the App
 * themselves) and `cdk synth` produce the same templates.
 */
const FEATURE_FLAGS = {
  // A secret's value can only be used where CDK knows it stays secret (never in an environment variable).
  '@aws-cdk/core:checkSecretUsage': true,
  // The API stack imports the data stack's exports, so the data stack cannot go while the API uses it.
  '@aws-cdk/core:defaultCrossStackReferences': 'strong',
};

const PRICE_CLASSES = { '100': PriceClass.PRICE_CLASS_100, '200': PriceClass.PRICE_CLASS_200, All: PriceClass.PRICE_CLASS_ALL } as const;

/** Cairn's app: a DataStack and an ApiStack per stage, configured from context (infra/config.ts). */
export const createApp = (options: CreateAppOptions): CairnApp => {
  const app = new App({ context: { ...FEATURE_FLAGS, ...options.context } });
  const config = loadConfig((key) => app.node.tryGetContext(key));
  const env = { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION };
  const prefix = `Cairn-${config.stage}`;
  if (!config.uiAssetPath) options.buildUi?.();

  const dataStack = new DataStack(app, `${prefix}-Data`, {
    env,
    description: `Cairn (${config.stage}): table, artifact bucket, webhook key, first admin`,
    allowedOrigins: config.allowedOrigins,
    retainData: config.retainData,
    adminUsername: config.adminUsername,
    ...(config.webhookSecretArn ? { webhookSecretArn: config.webhookSecretArn } : {}),
  });
  const apiStack = new ApiStack(app, `${prefix}-Api`, {
    env,
    description: `Cairn (${config.stage}): API, authorizer, webhook dispatch, promotion workflow, alarms, web UI`,
    table: dataStack.table,
    bucket: dataStack.bucket,
    webhookSecret: dataStack.webhookSecret,
    adminSecret: dataStack.adminSecret,
    defaultPermission: config.defaultPermission,
    unmappedPrincipalPermission: config.unmappedPrincipalPermission,
    auditRetention: Duration.days(config.auditRetentionDays),
    artifactPrefix: config.artifactPrefix,
    stageName: config.stage,
    throttle: { rateLimit: config.throttleRateLimit, burstLimit: config.throttleBurstLimit },
    logRetention: config.logRetentionDays as RetentionDays,
    apiGatewayCloudWatchRole: config.apiGatewayCloudWatchRole,
    ...(config.webAclArn ? { webAclArn: config.webAclArn } : {}),
    ...(config.alarmEmail ? { alarmEmail: config.alarmEmail } : {}),
    ...(config.servingImageUri ? { servingImageUri: config.servingImageUri } : {}),
    ...(config.sagemakerExecutionRoleArns ? { sagemakerExecutionRoleArns: config.sagemakerExecutionRoleArns } : {}),
    uiPriceClass: PRICE_CLASSES[config.uiPriceClass],
    ...(config.uiAssetPath ? { uiAssetPath: config.uiAssetPath } : {}),
    ...(config.uiDomainName ? { uiDomainName: config.uiDomainName } : {}),
    ...(config.uiCertificateArn ? { uiCertificateArn: config.uiCertificateArn } : {}),
    ...(config.uiWebAclArn ? { uiWebAclArn: config.uiWebAclArn } : {}),
  });

  if (options.nag) {
    Validations.of(app).addPlugins(new AwsSolutionsChecks(app), new ServerlessChecks(app));
  }
  return { app, config, dataStack, apiStack };
};
