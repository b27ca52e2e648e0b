import { fileURLToPath } from 'node:url';
import { Duration, Validations } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { ENV } from '../../shared/config/env.js';
import { isPermission, type Permission } from '../../shared/domain/auth/permissions.js';
import { acknowledgeWildcardResource } from '../nag.js';
import { CairnAlarms } from './alarms.js';
import { ApiFunction } from './api-function.js';
import { acknowledgeIndexes, grantArtifactAccess, grantAuthorizerReads, grantTokenTouch } from './grants.js';
import { PromotionWorkflow } from './promotion-workflow.js';
import { CairnRestApi } from './rest-api.js';
import { WebhookDispatcher } from './webhook-dispatcher.js';
import { SearchSnapshots } from './search-snapshots.js';

/**
 * The variable holding the webhook key's Secrets Manager ARN. The functions read the secret once per cold start
 * (secretsmanager:GetSecretValue) and use its value as they would CAIRN_WEBHOOK_SECRET_KEY's, so the key never
 * appears in the function configuration (shared/config/secrets.ts).
 */
export const WEBHOOK_SECRET_ARN_ENV = ENV.webhookSecretArn;

const entry = (path: string) => fileURLToPath(new URL(`../../functions/${path}`, import.meta.url));

/** The Lambda entries, relative to this file so the construct also works from an installed package. */
export const HANDLER_ENTRIES = {
  api: entry('api/handler.ts'),
  authorizer: entry('authorizer/handler.ts'),
  webhookStream: entry('webhooks/stream-handler.ts'),
  webhookSchedule: entry('webhooks/scheduled-handler.ts'),
  deploymentSteps: entry('deployments/step-handler.ts'),
  deploymentStarter: entry('deployments/starter-handler.ts'),
  searchSnapshots: entry('search/stream-handler.ts'),
} as const;

export interface CairnServiceProps {
  readonly table: ITable;
  readonly bucket: IBucket;
  readonly webhookSecret: ISecret;
  /**
   * The first admin's `{"username", "password"}` (AdminSecret): the API creates that user as an admin at a cold
   * start when no user holds the name. Only the API function may read it.
   */
  readonly adminSecret: ISecret;
  /**
   * A user's permission on an experiment or registered model without a grant (of the user's own or a group's).
   * @default 'NO_PERMISSIONS' - nobody sees what they were not granted
   */
  readonly defaultPermission?: Permission;
  /**
   * The permission of a SigV4 principal no admin mapped to a user, on everything.
   * @default 'NO_PERMISSIONS'
   */
  readonly unmappedPrincipalPermission?: Permission;
  /**
   * How long audit entries (permission changes, refused requests) are kept; whole days.
   * @default Duration.days(90)
   */
  readonly auditRetention?: Duration;
  /**
   * Key prefix of artifacts in the bucket; the API is granted nothing outside it.
   * @default 'mlflow'
   */
  readonly artifactPrefix?: string;
  /**
   * The API Gateway stage, last segment of the tracking URI.
   * @default 'api'
   */
  readonly stageName?: string;
  /**
   * Stage-wide throttling.
   * @default { rateLimit: 500, burstLimit: 1000 }
   */
  readonly throttle?: { readonly rateLimit: number; readonly burstLimit: number };
  /**
   * @default RetentionDays.ONE_MONTH
   */
  readonly logRetention?: RetentionDays;
  /**
   * Memory of the API function (CPU grows with it; request parsing and SDK work are CPU-bound).
   * @default 1024
   */
  readonly apiMemorySize?: number;
  /**
   * Create API Gateway's account-wide CloudWatch role.
   * @default true
   */
  readonly apiGatewayCloudWatchRole?: boolean;
  /**
   * A regional WAFv2 web ACL for the stage.
   * @default - none
   */
  readonly webAclArn?: string;
  /**
   * Alarm actions go to this topic.
   * @default - a new encrypted topic when `alarmEmail` is set; otherwise no actions
   */
  readonly alarmTopic?: ITopic;
  readonly alarmEmail?: string;
  /**
   * The default serving image of promotions: MLflow's pyfunc serving image in your ECR
   * (`<account>.dkr.ecr.<region>.amazonaws.com/<repository>:<tag>`). An ECR image also limits the SageMaker
   * execution role's pulls to its repository.
   * @default - none: a model's deployment policy must name its image
   */
  readonly servingImageUri?: string;
  /**
   * SageMaker execution roles a deployment policy may name besides the one Cairn creates. The promotion state
   * machine may pass these to SageMaker and no others.
   * @default - only Cairn's own execution role
   */
  readonly sagemakerExecutionRoleArns?: string[];
}

/**
 * Cairn's stateless half: the API and authorizer functions behind API Gateway, the webhook dispatchers, the
 * promotion workflow (SageMaker deployments) and the alarms, on a table, bucket and webhook key that live elsewhere (DataStack, or the Cairn construct).
 *
 * Each function gets exactly what its code does:
 *   api          table read/write; artifacts under the prefix (grantArtifactAccess); the webhook key; the first
 *                admin's secret
 *   authorizer   GetItem on user and token items only (grantAuthorizerReads); UpdateItem on token items only
 *                (grantTokenTouch)
 *   dispatchers  table read/write; the webhook key; the stream (stream consumer only)
 *   snapshots    table read/write; the stream (search snapshot rebuilds)
 *   promotion    see PromotionWorkflow; the API also answers approvals (states:SendTask*) and invokes
 *                Cairn's SageMaker endpoints (sagemaker:InvokeEndpoint on endpoint/cairn-*) for scoring
 */
export class CairnService extends Construct {
  readonly apiFunction: ApiFunction;
  readonly authorizerFunction: ApiFunction;
  readonly restApi: CairnRestApi;
  readonly dispatcher: WebhookDispatcher;
  readonly searchSnapshots: SearchSnapshots;
  readonly promotion: PromotionWorkflow;
  readonly alarms: CairnAlarms;

  constructor(scope: Construct, id: string, props: CairnServiceProps) {
    super(scope, id);
    const prefix = props.artifactPrefix ?? 'mlflow';
    const logRetention = props.logRetention ?? RetentionDays.ONE_MONTH;
    const webhookKey = { [WEBHOOK_SECRET_ARN_ENV]: props.webhookSecret.secretArn };
    const executionRoleArns = props.sagemakerExecutionRoleArns ?? [];
    const authorization = authorizationEnvironment(props);

    this.promotion = new PromotionWorkflow(this, 'Promotion', {
      table: props.table,
      bucket: props.bucket,
      artifactPrefix: prefix,
      stepEntry: HANDLER_ENTRIES.deploymentSteps,
      starterEntry: HANDLER_ENTRIES.deploymentStarter,
      environment: { [ENV.tableName]: props.table.tableName },
      additionalExecutionRoleArns: executionRoleArns,
      logRetention,
      ...(props.servingImageUri ? { servingImageUri: props.servingImageUri } : {}),
    });

    this.apiFunction = new ApiFunction(this, 'ApiHandler', {
      entry: HANDLER_ENTRIES.api,
      description: 'Cairn: MLflow tracking and model registry API',
      serviceName: 'cairn-api',
      memorySize: props.apiMemorySize ?? 1024,
      timeout: Duration.seconds(29),
      logRetention,
      environment: {
        [ENV.tableName]: props.table.tableName,
        [ENV.artifactBucket]: props.bucket.bucketName,
        [ENV.artifactPrefix]: prefix,
        ...webhookKey,
        // Its presence tells the API that promotions deploy (they are only recorded without it).
        [ENV.promotionStateMachineArn]: this.promotion.stateMachine.stateMachineArn,
        [ENV.sagemakerExecutionRoleArn]: this.promotion.executionRole.roleArn,
        [ENV.sagemakerAllowedRoleArns]: executionRoleArns.join(','),
        ...(props.servingImageUri ? { [ENV.servingImageUri]: props.servingImageUri } : {}),
        ...authorization,
      },
    });
    props.table.grantReadWriteData(this.apiFunction);
    grantArtifactAccess(props.bucket, this.apiFunction, prefix);
    props.webhookSecret.grantRead(this.apiFunction);
    props.adminSecret.grantRead(this.apiFunction);
    this.promotion.grantApprovals(this.apiFunction);
    this.promotion.grantInvokeEndpoints(this.apiFunction);
    this.acknowledgeSynchronous(this.apiFunction, 'API Gateway (proxy integration)');
    const apiRole = this.apiFunction.role;
    if (apiRole) {
      acknowledgeIndexes(apiRole, props.table);
      acknowledgeWildcardResource(
        apiRole,
        props.bucket.bucketArn,
        `/${prefix}/*`,
        'Artifacts are objects with client-chosen paths under the artifact prefix; access is limited to that prefix.',
      );
      Validations.of(apiRole).acknowledge({
        id: 'AwsSolutions-IAM5[Action::s3:Abort*]',
        reason: "CDK's grantPut: covers s3:AbortMultipartUpload, needed to abort proxied multipart uploads, on the artifact prefix only.",
      });
      Validations.of(apiRole).acknowledge({
        id: 'AwsSolutions-IAM5[Action::s3:DeleteObject*]',
        reason: "CDK's grantDelete: deleting artifacts (and their versions' delete markers) under the artifact prefix only.",
      });
    }

    this.authorizerFunction = new ApiFunction(this, 'AuthorizerHandler', {
      entry: HANDLER_ENTRIES.authorizer,
      description: "Cairn: API Gateway authorizer of users' passwords and tokens (Basic and Bearer)",
      serviceName: 'cairn-authorizer',
      memorySize: 512,
      timeout: Duration.seconds(10),
      logRetention,
      environment: { [ENV.tableName]: props.table.tableName },
    });
    grantAuthorizerReads(props.table, this.authorizerFunction);
    grantTokenTouch(props.table, this.authorizerFunction);
    this.acknowledgeSynchronous(this.authorizerFunction, 'API Gateway (REQUEST authorizer)');

    this.restApi = new CairnRestApi(this, 'RestApi', {
      handler: this.apiFunction,
      authorizer: this.authorizerFunction,
      stageName: props.stageName ?? 'api',
      throttle: props.throttle ?? { rateLimit: 500, burstLimit: 1000 },
      logRetention,
      cloudWatchRole: props.apiGatewayCloudWatchRole ?? true,
      ...(props.webAclArn ? { webAclArn: props.webAclArn } : {}),
    });

    this.dispatcher = new WebhookDispatcher(this, 'WebhookDispatcher', {
      table: props.table,
      streamEntry: HANDLER_ENTRIES.webhookStream,
      scheduledEntry: HANDLER_ENTRIES.webhookSchedule,
      webhookSecret: props.webhookSecret,
      environment: { [ENV.tableName]: props.table.tableName, ...webhookKey },
      logRetention,
    });

    this.searchSnapshots = new SearchSnapshots(this, 'SearchSnapshots', {
      table: props.table,
      entry: HANDLER_ENTRIES.searchSnapshots,
      environment: { [ENV.tableName]: props.table.tableName },
      logRetention,
    });

    this.alarms = new CairnAlarms(this, 'Alarms', {
      api: this.restApi.api,
      functions: {
        Api: this.apiFunction,
        Authorizer: this.authorizerFunction,
        DispatchStream: this.dispatcher.streamFunction,
        DispatchSchedule: this.dispatcher.scheduledFunction,
        DeploymentSteps: this.promotion.stepFunction,
        DeploymentStarter: this.promotion.starterFunction,
        SearchSnapshots: this.searchSnapshots.streamFunction,
      },
      streamFunction: this.dispatcher.streamFunction,
      deadLetterQueue: this.dispatcher.deadLetterQueue,
      otherDeadLetterQueues: { Promotion: this.promotion.deadLetterQueue, SearchSnapshots: this.searchSnapshots.deadLetterQueue },
      stateMachines: { Promotion: this.promotion.stateMachine },
      ...(props.alarmTopic ? { topic: props.alarmTopic } : {}),
      ...(props.alarmEmail ? { email: props.alarmEmail } : {}),
    });
  }

  /** Cairn's tracking URI for Basic/Bearer tokens. */
  get trackingUri(): string {
    return this.restApi.trackingUri;
  }

  /** Cairn's tracking URI for SigV4 (MLFLOW_TRACKING_AWS_SIGV4=true). */
  get iamTrackingUri(): string {
    return this.restApi.iamTrackingUri;
  }

  private acknowledgeSynchronous(fn: ApiFunction, caller: string): void {
    Validations.of(fn).acknowledge({
      id: 'Serverless-LambdaDLQ',
      reason: `Invoked synchronously by ${caller}, which returns the error to the client; a DLQ only serves asynchronous invocations.`,
    });
  }
}

/**
 * The API's authorization settings (shared/config/auth-settings.ts reads them back). Authorization is always on
 * in AWS; these only say what a caller without a grant or mapping gets, and how long the audit log keeps entries.
 */
const authorizationEnvironment = (props: CairnServiceProps): Record<string, string> => {
  const permission = (name: string, value: Permission | undefined): Permission => {
    const chosen = value ?? 'NO_PERMISSIONS';
    if (!isPermission(chosen)) throw new Error(`${name}: use READ, EDIT, MANAGE or NO_PERMISSIONS, not '${String(chosen)}'`);
    return chosen;
  };
  const auditDays = (props.auditRetention ?? Duration.days(90)).toDays();
  if (!Number.isInteger(auditDays) || auditDays < 1) throw new Error(`auditRetention: a whole number of days, at least 1 (got ${auditDays})`);
  return {
    [ENV.adminSecretArn]: props.adminSecret.secretArn,
    [ENV.defaultPermission]: permission('defaultPermission', props.defaultPermission),
    [ENV.unmappedPrincipalPermission]: permission('unmappedPrincipalPermission', props.unmappedPrincipalPermission),
    [ENV.auditRetentionDays]: String(auditDays),
  };
};
