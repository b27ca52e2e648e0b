import { Duration, Stack } from 'aws-cdk-lib';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import {
  Choice,
  Condition,
  Errors,
  Fail,
  IntegrationPattern,
  JitterType,
  JsonPath,
  Map,
  Pass,
  Result,
  Succeed,
  TaskInput,
  Timeout,
  Wait,
  WaitTime,
  type IChainable,
  type RetryProps,
} from 'aws-cdk-lib/aws-stepfunctions';
import { CallAwsService, LambdaInvoke } from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { Construct } from 'constructs';
import { SAGEMAKER_NAME_PREFIX } from '../../shared/domain/deployments/names.js';
import { SAGEMAKER_NOT_FOUND_ERROR, SAGEMAKER_RETRYABLE_ERRORS, STATES, STEP_ERRORS } from '../../shared/workflows/promotion.js';

/** Every SageMaker model, endpoint config and endpoint Cairn creates is named with this prefix; IAM relies on it. */
export const SAGEMAKER_RESOURCE_PREFIX = SAGEMAKER_NAME_PREFIX;

export type SageMakerResourceType = 'model' | 'endpoint-config' | 'endpoint';

/** `arn:<partition>:sagemaker:<region>:<account>:<type>/cairn-*`: the only SageMaker resources Cairn touches. */
export const sagemakerResourceArn = (scope: Construct, type: SageMakerResourceType): string =>
  Stack.of(scope).formatArn({ service: 'sagemaker', resource: type, resourceName: `${SAGEMAKER_RESOURCE_PREFIX}*` });

/**
 * Endpoint statuses the workflow stops polling at. InService and Failed end creation and updates;
 * UpdateRollbackFailed (a blue/green update whose rollback failed) never changes without a new UpdateEndpoint,
 * which SageMaker accepts in that status, so it counts as settled too rather than polling until the timeout.
 */
export const SETTLED_ENDPOINT_STATUSES = ['InService', 'Failed', 'UpdateRollbackFailed'] as const;

export interface PromotionDefinitionProps {
  /** The step Lambda (functions/deployments/step-handler.ts), invoked for every registry step. */
  readonly stepFunction: IFunction;
  /** How long WaitForApproval waits for an approve or reject call. */
  readonly approvalTimeout: Duration;
  /** The wait between two DescribeEndpoint calls. */
  readonly endpointPollInterval: Duration;
}

/** DynamoDB throttled or a conditional write lost a race: the step is safe to run again. */
const TEMPORARY_RETRY: RetryProps = {
  errors: [STEP_ERRORS.temporarilyUnavailable],
  interval: Duration.seconds(1),
  backoffRate: 2,
  maxAttempts: 6,
  jitterStrategy: JitterType.FULL,
};

/**
 * Another promotion holds the endpoint. 30 s, growing by half each time, capped at 5 minutes: 100 attempts wait
 * about 8 hours, within the execution timeout's 12 hours after approval.
 */
const ENDPOINT_BUSY_RETRY: RetryProps = {
  errors: [STEP_ERRORS.endpointBusy],
  interval: Duration.seconds(30),
  backoffRate: 1.5,
  maxDelay: Duration.minutes(5),
  maxAttempts: 100,
};

/** Throttling and SageMaker's transient failures. */
const SAGEMAKER_RETRY: RetryProps = {
  errors: SAGEMAKER_RETRYABLE_ERRORS,
  interval: Duration.seconds(5),
  backoffRate: 2,
  maxAttempts: 6,
  jitterStrategy: JitterType.FULL,
};

/** Where a Catch puts the error: the step Lambda's `fail` and `reject` read `{ Error, Cause }` from here. */
const ERROR_PATH = '$.error';
const deploymentId = JsonPath.stringAt('$.deploymentId');

/**
 * The promotion state machine's definition (JSONPath), with the state names of shared/workflows/promotion.ts:
 *
 *   Init → ValidateVersion → ApprovalRequired → [WaitForApproval] → ClaimEndpoint → Superseded?
 *     → CreateModel → CreateEndpointConfig → FindEndpoint ─not found→ CreateEndpoint ─┐
 *                                              └ ExistingEndpointStable? → UpdateEndpoint ┴→ WaitForEndpoint
 *     → DescribeEndpoint → EndpointSettled? → RecordOutcome → DeleteFailedEndpoint? → DeleteUnusedEndpointConfigs
 *     → DeleteUnusedModels → InService? → Deployed | DeploymentFailed
 *
 * Every task catches States.ALL into RecordFailure (which also ends in the cleanup), a rejection goes to
 * RecordRejected, and a superseded promotion to RecordSuperseded. SageMaker calls retry throttling with backoff.
 */
export const promotionDefinition = (parent: Construct, props: PromotionDefinitionProps): IChainable => {
  const scope = new Construct(parent, 'Definition');

  const step = (id: string, payload: Record<string, unknown>, resultPath: string) => {
    const task = LambdaInvoke.jsonPath(scope, id, {
      lambdaFunction: props.stepFunction,
      payload: TaskInput.fromObject({ ...payload, deploymentId }),
      payloadResponseOnly: true,
      resultPath,
    });
    task.addRetry(TEMPORARY_RETRY);
    return task;
  };

  const sagemaker = (
    id: string,
    action: string,
    parameters: Record<string, unknown>,
    resources: SageMakerResourceType[],
    output: { resultPath: string; resultSelector?: Record<string, unknown> },
  ) => {
    const task = CallAwsService.jsonPath(scope, id, {
      service: 'sagemaker',
      action,
      iamAction: `sagemaker:${action.charAt(0).toUpperCase()}${action.slice(1)}`,
      parameters,
      iamResources: resources.map((type) => sagemakerResourceArn(scope, type)),
      ...output,
    });
    task.addRetry(SAGEMAKER_RETRY);
    return task;
  };
  const settled = (path: string) => Condition.or(...SETTLED_ENDPOINT_STATUSES.map((status) => Condition.stringEquals(path, status)));
  const endpointName = JsonPath.stringAt('$.plan.endpointName');
  const endpointConfigName = JsonPath.stringAt('$.plan.createEndpointConfig.EndpointConfigName');
  const requested = { resultPath: '$.progress', resultSelector: { endpointRequested: true } };

  // Ends
  const deployed = Succeed.jsonPath(scope, STATES.deployed);
  const failed = Fail.jsonPath(scope, STATES.failed, {
    error: 'DeploymentFailed',
    cause: 'The deployment did not come into service; its record in Cairn holds the reason.',
  });
  const rejectedEnd = Succeed.jsonPath(scope, STATES.rejectedEnd);
  const supersededEnd = Succeed.jsonPath(scope, STATES.supersededEnd);

  // Cleanup, best effort: whatever SageMaker refuses to delete stays, and the outcome stands.
  const inService = Choice.jsonPath(scope, STATES.inService)
    .when(Condition.stringEquals('$.outcome.status', 'IN_SERVICE'), deployed)
    .otherwise(failed);
  /** A Map deleting each name of `itemsPath` with `action`; a name SageMaker refuses to delete is kept (the Pass `keepId`). */
  const cleanupMap = (
    id: string,
    itemsPath: string,
    remover: { id: string; action: string; nameKey: string; type: SageMakerResourceType; keepId: string },
  ) => {
    const remove = sagemaker(remover.id, remover.action, { [remover.nameKey]: JsonPath.stringAt('$.name') }, [remover.type], {
      resultPath: JsonPath.DISCARD,
    });
    remove.addCatch(Pass.jsonPath(scope, remover.keepId), { errors: [Errors.ALL], resultPath: JsonPath.DISCARD });
    const map = Map.jsonPath(scope, id, {
      itemsPath,
      itemSelector: { name: JsonPath.stringAt('$$.Map.Item.Value') },
      maxConcurrency: 5,
      resultPath: JsonPath.DISCARD,
    });
    map.itemProcessor(remove);
    return map;
  };
  const deleteModels = cleanupMap(STATES.deleteModels, '$.outcome.cleanup.modelNames', {
    id: STATES.deleteModel,
    action: 'deleteModel',
    nameKey: 'ModelName',
    type: 'model',
    keepId: 'KeepModel',
  });
  deleteModels.addCatch(inService, { errors: [Errors.ALL], resultPath: '$.cleanupError' });
  deleteModels.next(inService);
  const deleteConfigs = cleanupMap(STATES.deleteConfigs, '$.outcome.cleanup.endpointConfigNames', {
    id: STATES.deleteConfig,
    action: 'deleteEndpointConfig',
    nameKey: 'EndpointConfigName',
    type: 'endpoint-config',
    keepId: 'KeepEndpointConfig',
  });
  deleteConfigs.addCatch(deleteModels, { errors: [Errors.ALL], resultPath: '$.cleanupError' });
  deleteConfigs.next(deleteModels);
  const deleteEndpoint = sagemaker(
    STATES.deleteEndpoint,
    'deleteEndpoint',
    { EndpointName: JsonPath.stringAt('$.outcome.cleanup.endpointName') },
    ['endpoint'],
    { resultPath: JsonPath.DISCARD },
  );
  deleteEndpoint.addCatch(deleteConfigs, { errors: [Errors.ALL], resultPath: '$.cleanupError' });
  deleteEndpoint.next(deleteConfigs);
  const cleanup = Choice.jsonPath(scope, STATES.deleteEndpointChoice)
    .when(
      Condition.and(Condition.isPresent('$.outcome.cleanup.endpointName'), Condition.isString('$.outcome.cleanup.endpointName')),
      deleteEndpoint,
    )
    .otherwise(deleteConfigs);

  // Recording the result
  const recordFailure = step(
    STATES.recordFailure,
    { step: 'fail', error: JsonPath.objectAt(ERROR_PATH), progress: JsonPath.objectAt('$.progress') },
    '$.outcome',
  );
  // Nothing is left to record the failure with: the execution fails, and its own error shows in the console.
  recordFailure.addCatch(failed, { errors: [Errors.ALL], resultPath: '$.recordError' });
  recordFailure.next(cleanup);
  const toFailure = { errors: [Errors.ALL], resultPath: ERROR_PATH };

  const recordOutcome = step(STATES.recordOutcome, { step: 'finish', endpoint: JsonPath.objectAt('$.endpoint') }, '$.outcome');
  recordOutcome.addCatch(recordFailure, toFailure);
  recordOutcome.next(cleanup);

  const recordRejected = step(STATES.recordRejected, { step: 'reject', error: JsonPath.objectAt(ERROR_PATH) }, JsonPath.DISCARD);
  recordRejected.addCatch(recordFailure, toFailure);
  recordRejected.next(rejectedEnd);

  const recordSuperseded = step(STATES.recordSuperseded, { step: 'supersede' }, JsonPath.DISCARD);
  recordSuperseded.addCatch(recordFailure, toFailure);
  recordSuperseded.next(supersededEnd);

  // Waiting for the endpoint we asked for
  const waitForEndpoint = Wait.jsonPath(scope, STATES.waitForEndpoint, { time: WaitTime.duration(props.endpointPollInterval) });
  const describeEndpoint = sagemaker(STATES.describeEndpoint, 'describeEndpoint', { EndpointName: endpointName }, ['endpoint'], {
    resultPath: '$.endpoint',
  });
  describeEndpoint.addCatch(recordFailure, toFailure);
  waitForEndpoint.next(describeEndpoint).next(
    Choice.jsonPath(scope, STATES.endpointSettled).when(settled('$.endpoint.EndpointStatus'), recordOutcome).otherwise(waitForEndpoint),
  );

  // Create the endpoint, or update it blue/green (DeploymentConfig: traffic shifting, auto-rollback alarms)
  const createEndpoint = sagemaker(
    STATES.createEndpoint,
    'createEndpoint',
    { EndpointName: endpointName, EndpointConfigName: endpointConfigName },
    ['endpoint', 'endpoint-config'],
    requested,
  );
  createEndpoint.addCatch(recordFailure, toFailure);
  createEndpoint.next(waitForEndpoint);
  const updateEndpoint = sagemaker(
    STATES.updateEndpoint,
    'updateEndpoint',
    { EndpointName: endpointName, EndpointConfigName: endpointConfigName, DeploymentConfig: JsonPath.objectAt('$.plan.deploymentConfig') },
    ['endpoint', 'endpoint-config'],
    requested,
  );
  updateEndpoint.addCatch(recordFailure, toFailure);
  updateEndpoint.next(waitForEndpoint);

  // Does the endpoint exist, and can it be updated now?
  const findEndpoint = sagemaker(STATES.findEndpoint, 'describeEndpoint', { EndpointName: endpointName }, ['endpoint'], {
    resultPath: '$.existing',
  });
  findEndpoint.addCatch(createEndpoint, { errors: [SAGEMAKER_NOT_FOUND_ERROR], resultPath: '$.notFound' });
  findEndpoint.addCatch(recordFailure, toFailure);
  const waitForExisting = Wait.jsonPath(scope, STATES.waitForExistingEndpoint, { time: WaitTime.duration(props.endpointPollInterval) }).next(
    findEndpoint,
  );
  // SageMaker cannot update a Failed endpoint, and a Failed endpoint serves nothing: it is deleted, then created anew.
  const deleteBroken = sagemaker(STATES.deleteBrokenEndpoint, 'deleteEndpoint', { EndpointName: endpointName }, ['endpoint'], {
    resultPath: JsonPath.DISCARD,
  });
  deleteBroken.addCatch(recordFailure, toFailure);
  deleteBroken.next(waitForExisting);
  findEndpoint.next(
    Choice.jsonPath(scope, STATES.existingEndpointStable)
      .when(Condition.stringEquals('$.existing.EndpointStatus', 'Failed'), deleteBroken)
      .when(settled('$.existing.EndpointStatus'), updateEndpoint)
      .otherwise(waitForExisting),
  );

  // Model and endpoint config are per deployment (named after it), so they never collide with live ones.
  const createModel = sagemaker(
    STATES.createModel,
    'createModel',
    {
      ModelName: JsonPath.stringAt('$.plan.createModel.ModelName'),
      ExecutionRoleArn: JsonPath.stringAt('$.plan.createModel.ExecutionRoleArn'),
      PrimaryContainer: JsonPath.objectAt('$.plan.createModel.PrimaryContainer'),
    },
    ['model'],
    { resultPath: JsonPath.DISCARD },
  );
  createModel.addCatch(recordFailure, toFailure);
  const createEndpointConfig = sagemaker(
    STATES.createEndpointConfig,
    'createEndpointConfig',
    {
      EndpointConfigName: endpointConfigName,
      ProductionVariants: JsonPath.listAt('$.plan.createEndpointConfig.ProductionVariants'),
    },
    ['endpoint-config'],
    { resultPath: JsonPath.DISCARD },
  );
  createEndpointConfig.addCatch(recordFailure, toFailure);
  createModel.next(createEndpointConfig).next(findEndpoint);

  // The concurrency guard: one promotion per endpoint at a time; a later request supersedes a waiting one.
  const claim = step(STATES.claim, { step: 'claim' }, '$.claim');
  claim.addRetry(ENDPOINT_BUSY_RETRY);
  claim.addCatch(recordFailure, toFailure);
  claim.next(
    Choice.jsonPath(scope, STATES.superseded)
      .when(Condition.booleanEquals('$.claim.superseded', true), recordSuperseded)
      .otherwise(createModel),
  );

  // Approval: the step stores the task token; the API's approve/reject answers it (SendTaskSuccess/SendTaskFailure).
  const waitForApproval = LambdaInvoke.jsonPath(scope, STATES.waitForApproval, {
    lambdaFunction: props.stepFunction,
    integrationPattern: IntegrationPattern.WAIT_FOR_TASK_TOKEN,
    payload: TaskInput.fromObject({ step: 'await-approval', deploymentId, taskToken: JsonPath.taskToken }),
    resultPath: '$.approval',
    taskTimeout: Timeout.duration(props.approvalTimeout),
  });
  waitForApproval.addRetry(TEMPORARY_RETRY);
  waitForApproval.addCatch(recordRejected, { errors: [STEP_ERRORS.rejected], resultPath: ERROR_PATH });
  waitForApproval.addCatch(recordFailure, toFailure);
  waitForApproval.next(claim);

  const validate = step(STATES.validate, { step: 'validate' }, '$.plan');
  validate.addCatch(recordFailure, toFailure);

  return Pass.jsonPath(scope, STATES.init, { result: Result.fromObject({ endpointRequested: false }), resultPath: '$.progress' })
    .next(validate)
    .next(
      Choice.jsonPath(scope, STATES.approvalRequired)
        .when(Condition.booleanEquals('$.plan.approvalRequired', true), waitForApproval)
        .otherwise(claim),
    );
};
