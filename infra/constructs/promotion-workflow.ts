import { Duration, Validations } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { Grant, PolicyStatement, type IGrantable, type IRole } from 'aws-cdk-lib/aws-iam';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import { DefinitionBody, LogLevel, StateMachine, StateMachineType } from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { ENV } from '../../shared/config/env.js';
import { DEPLOYMENT_ENTITY } from '../../shared/data/deployments/keys.js';
import { acknowledgeWildcardResource } from '../nag.js';
import { ApiFunction } from './api-function.js';
import { acknowledgeIndexes, grantArtifactRead } from './grants.js';
import { promotionDefinition, sagemakerResourceArn, type SageMakerResourceType } from './promotion-definition.js';
import { SageMakerExecutionRole } from './sagemaker-execution-role.js';
import { createStreamDeadLetterQueue, subscribeToInserts } from './table-inserts.js';

export { SAGEMAKER_RESOURCE_PREFIX, sagemakerResourceArn } from './promotion-definition.js';

export interface PromotionWorkflowProps {
  /** The tracking table; it must have a stream (TrackingTable's has NEW_IMAGE): new deployment items start executions. */
  readonly table: ITable;
  /** Entries of the two handlers (functions/deployments/step-handler.ts and starter-handler.ts). */
  readonly stepEntry: string;
  readonly starterEntry: string;
  /** The artifact bucket, where model versions' files live. */
  readonly bucket: IBucket;
  /** Key prefix of artifacts in the bucket: the step Lambda and SageMaker read under it and nowhere else. */
  readonly artifactPrefix: string;
  /** Variables both Lambdas need (table name...); the construct adds its own on top. */
  readonly environment: Record<string, string>;
  /**
   * The default serving image (MLflow's pyfunc serving image in your ECR). An ECR image also narrows the
   * execution role's pulls to its repository.
   * @default - none: every deployment policy must name an image
   */
  readonly servingImageUri?: string;
  /**
   * Further SageMaker execution roles deployment policies may name. The state machine may pass these and the
   * role this construct creates, and no others.
   * @default - only the created role
   */
  readonly additionalExecutionRoleArns?: string[];
  /**
   * How long a deployment that needs approval waits for an approve or reject call before failing.
   * @default Duration.days(7)
   */
  readonly approvalTimeout?: Duration;
  /**
   * The wait between two DescribeEndpoint calls while an endpoint is being created or updated.
   * @default Duration.seconds(30)
   */
  readonly endpointPollInterval?: Duration;
  /**
   * Retention of the Lambdas' and the state machine's log groups.
   * @default RetentionDays.ONE_MONTH
   */
  readonly logRetention?: RetentionDays;
}

/** Time the workflow may take besides the approval wait: waiting for the endpoint, creating and updating it. */
const WORKING_TIME = Duration.hours(12);

/**
 * Promotion of registered model versions to SageMaker endpoints (shared/workflows/promotion.ts):
 *
 *   table stream ─INSERT deployment─→ Starter ─StartExecution─→ StateMachine ─→ Steps (registry steps)
 *                                        └ failed batches → DeadLetters        └─→ SageMaker (aws-sdk tasks)
 *
 * The API records a deployment item when an alias or stage changes; its stream record starts one execution named
 * after the deployment. The state machine may pass only the execution roles it knows to SageMaker, and may touch
 * only SageMaker models, endpoint configs and endpoints named `cairn-*`.
 */
export class PromotionWorkflow extends Construct {
  readonly executionRole: SageMakerExecutionRole;
  readonly stepFunction: ApiFunction;
  readonly starterFunction: ApiFunction;
  readonly stateMachine: StateMachine;
  readonly deadLetterQueue: Queue;

  constructor(scope: Construct, id: string, props: PromotionWorkflowProps) {
    super(scope, id);
    if (!props.table.tableStreamArn) throw new Error('PromotionWorkflow: the table has no stream (import it with tableStreamArn)');
    const approvalTimeout = props.approvalTimeout ?? Duration.days(7);
    const logRetention = props.logRetention ?? RetentionDays.ONE_MONTH;
    const additionalRoles = props.additionalExecutionRoleArns ?? [];

    this.executionRole = new SageMakerExecutionRole(this, 'SageMakerExecutionRole', {
      bucket: props.bucket,
      artifactPrefix: props.artifactPrefix,
      ...(props.servingImageUri ? { servingImageUri: props.servingImageUri } : {}),
    });

    this.stepFunction = new ApiFunction(this, 'Steps', {
      entry: props.stepEntry,
      description: 'Cairn: registry steps of the promotion state machine',
      serviceName: 'cairn-deployments',
      memorySize: 512,
      timeout: Duration.seconds(60),
      logRetention,
      environment: {
        ...props.environment,
        [ENV.sagemakerExecutionRoleArn]: this.executionRole.roleArn,
        [ENV.sagemakerAllowedRoleArns]: additionalRoles.join(','),
        ...(props.servingImageUri ? { [ENV.servingImageUri]: props.servingImageUri } : {}),
        [ENV.artifactBucket]: props.bucket.bucketName,
        [ENV.artifactPrefix]: props.artifactPrefix,
      },
    });
    // Deployment and endpoint items are written; versions, policies and MLmodel files are read.
    props.table.grantReadWriteData(this.stepFunction);
    grantArtifactRead(props.bucket, this.stepFunction, props.artifactPrefix);
    Validations.of(this.stepFunction).acknowledge({
      id: 'Serverless-LambdaDLQ',
      reason: 'Invoked synchronously by the promotion state machine, whose Retry and Catch handle its errors; a DLQ only serves asynchronous invocations.',
    });
    const stepRole = this.stepFunction.role;
    if (stepRole) {
      acknowledgeIndexes(stepRole, props.table);
      acknowledgeWildcardResource(
        stepRole,
        props.bucket.bucketArn,
        `/${props.artifactPrefix}/*`,
        "The validate step reads a model version's MLmodel file, whose path the client chose, under the artifact prefix only.",
      );
    }

    const logs = new LogGroup(this, 'StateMachineLogs', { retention: logRetention });
    this.stateMachine = new StateMachine(this, 'StateMachine', {
      stateMachineType: StateMachineType.STANDARD,
      comment: 'Cairn: promotes a registered model version to a SageMaker endpoint',
      definitionBody: DefinitionBody.fromChainable(
        promotionDefinition(this, {
          stepFunction: this.stepFunction,
          approvalTimeout,
          endpointPollInterval: props.endpointPollInterval ?? Duration.seconds(30),
        }),
      ),
      timeout: approvalTimeout.plus(WORKING_TIME),
      tracingEnabled: true,
      logs: { destination: logs, level: LogLevel.ALL, includeExecutionData: true },
    });
    // CreateModel passes the plan's ExecutionRoleArn: only the roles Cairn was configured with, and only to SageMaker.
    this.stateMachine.addToRolePolicy(
      new PolicyStatement({
        actions: ['iam:PassRole'],
        resources: [this.executionRole.roleArn, ...additionalRoles],
        conditions: { StringEquals: { 'iam:PassedToService': 'sagemaker.amazonaws.com' } },
      }),
    );
    this.acknowledgeStateMachineRole(this.stateMachine.role);

    this.deadLetterQueue = createStreamDeadLetterQueue(this, 'the promotion starter');

    this.starterFunction = new ApiFunction(this, 'Starter', {
      entry: props.starterEntry,
      description: 'Cairn: starts a promotion execution for each new deployment in the table stream',
      serviceName: 'cairn-deployments',
      timeout: Duration.seconds(60),
      logRetention,
      environment: { ...props.environment, [ENV.promotionStateMachineArn]: this.stateMachine.stateMachineArn },
    });
    // Only new deployment items start executions: nothing else written to the table invokes the starter.
    // The stream keeps records for 24 hours; a deployment not started within 6 is in the dead-letter queue.
    subscribeToInserts(this.starterFunction, props.table, {
      entity: DEPLOYMENT_ENTITY,
      deadLetterQueue: this.deadLetterQueue,
      batchSize: 25,
      retryAttempts: 10,
      maxRecordAge: Duration.hours(6),
    });
    this.stateMachine.grantStartExecution(this.starterFunction);
    // The starter records the execution it starts on the deployment.
    props.table.grantReadWriteData(this.starterFunction);
    if (this.starterFunction.role) acknowledgeIndexes(this.starterFunction.role, props.table);
  }

  /** Lets `grantee` answer approval waits (SendTaskSuccess, SendTaskFailure, SendTaskHeartbeat) of this state machine. */
  grantApprovals(grantee: IGrantable): Grant {
    return this.stateMachine.grantTaskResponse(grantee);
  }

  /** Lets `grantee` invoke Cairn's SageMaker endpoints (`endpoint/cairn-*`), as scoring through the API does. */
  grantInvokeEndpoints(grantee: IGrantable): Grant {
    const endpoints = sagemakerResourceArn(this, 'endpoint');
    const grant = Grant.addToPrincipal({ grantee, actions: ['sagemaker:InvokeEndpoint'], resourceArns: [endpoints] });
    const principal = grantee.grantPrincipal;
    if (Construct.isConstruct(principal)) {
      acknowledgeWildcardResource(
        principal,
        endpoints,
        '',
        "Scoring calls the endpoint a model's deployment policy names; Cairn's endpoints are all named under its prefix.",
      );
    }
    return grant;
  }

  private acknowledgeStateMachineRole(role: IRole): void {
    Validations.of(role).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'The log delivery actions (logs:CreateLogDelivery and others, added for the state machine log group) and ' +
        'the X-Ray actions (tracing) support no resource-level permissions.',
    });
    acknowledgeWildcardResource(
      role,
      this.stepFunction.functionArn,
      ':*',
      "CDK's LambdaInvoke grants the step function's versions and aliases (<arn>:*) with the function; no other function is reachable.",
    );
    for (const type of ['model', 'endpoint-config', 'endpoint'] satisfies SageMakerResourceType[]) {
      acknowledgeWildcardResource(
        role,
        sagemakerResourceArn(this, type),
        '',
        'SageMaker models, endpoint configs and endpoints are named per deployment or per policy, always under Cairn\'s prefix: ' +
          'the state machine can touch no other SageMaker resource.',
      );
    }
  }
}
