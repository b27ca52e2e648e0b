import { Duration, Stack } from 'aws-cdk-lib';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { Condition, JitterType, JsonPath, TaskInput, type RetryProps } from 'aws-cdk-lib/aws-stepfunctions';
import { CallAwsService, LambdaInvoke } from 'aws-cdk-lib/aws-stepfunctions-tasks';
import type { Construct } from 'constructs';
import { SAGEMAKER_NAME_PREFIX } from '../../shared/domain/deployments/names.js';
import { SAGEMAKER_GENERIC_ERROR, SAGEMAKER_RETRYABLE_ERRORS, STEP_ERRORS } from '../../shared/workflows/promotion.js';

// The building blocks of the promotion definition (promotion-definition.ts): SageMaker naming, retry policies and
// the two task factories every state of the workflow is made with.

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

/** A Choice condition: the endpoint status at `path` is one of SETTLED_ENDPOINT_STATUSES. */
export const settled = (path: string): Condition =>
  Condition.or(...SETTLED_ENDPOINT_STATUSES.map((status) => Condition.stringEquals(path, status)));

/** DynamoDB throttled or a conditional write lost a race: the step is safe to run again. */
export const TEMPORARY_RETRY: RetryProps = {
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
export const ENDPOINT_BUSY_RETRY: RetryProps = {
  errors: [STEP_ERRORS.endpointBusy],
  interval: Duration.seconds(30),
  backoffRate: 1.5,
  maxDelay: Duration.minutes(5),
  maxAttempts: 100,
};

/** Throttling and SageMaker's transient failures. */
export const SAGEMAKER_RETRY: RetryProps = {
  errors: SAGEMAKER_RETRYABLE_ERRORS,
  interval: Duration.seconds(5),
  backoffRate: 2,
  maxAttempts: 6,
  jitterStrategy: JitterType.FULL,
};

/** SageMaker's unmodelled errors (throttling among them, but also refusals): a few quick tries only. */
export const SAGEMAKER_GENERIC_RETRY: RetryProps = {
  errors: [SAGEMAKER_GENERIC_ERROR],
  interval: Duration.seconds(2),
  backoffRate: 2,
  maxAttempts: 3,
  jitterStrategy: JitterType.FULL,
};

/** Where a Catch puts the error: the step Lambda's `fail` and `reject` read `{ Error, Cause }` from here. */
export const ERROR_PATH = '$.error';
export const deploymentId = JsonPath.stringAt('$.deploymentId');

/** Makes a step Lambda invocation (`payload` plus the deployment id), retried while DynamoDB is temporarily unavailable. */
export type StepTaskFactory = (id: string, payload: Record<string, unknown>, resultPath: string) => LambdaInvoke;

export const stepTaskFactory =
  (scope: Construct, stepFunction: IFunction): StepTaskFactory =>
  (id, payload, resultPath) => {
    const task = LambdaInvoke.jsonPath(scope, id, {
      lambdaFunction: stepFunction,
      payload: TaskInput.fromObject({ ...payload, deploymentId }),
      payloadResponseOnly: true,
      resultPath,
    });
    task.addRetry(TEMPORARY_RETRY);
    return task;
  };

/**
 * Makes a SageMaker SDK call, allowed on Cairn's resources of `resources` only (IAM derives the state machine's
 * policy from `iamResources`), retried on throttling and transient failures.
 */
export type SageMakerTaskFactory = (
  id: string,
  action: string,
  parameters: Record<string, unknown>,
  resources: SageMakerResourceType[],
  output: { resultPath: string; resultSelector?: Record<string, unknown> },
) => CallAwsService;

export const sagemakerTaskFactory =
  (scope: Construct): SageMakerTaskFactory =>
  (id, action, parameters, resources, output) => {
    const task = CallAwsService.jsonPath(scope, id, {
      service: 'sagemaker',
      action,
      iamAction: `sagemaker:${action.charAt(0).toUpperCase()}${action.slice(1)}`,
      parameters,
      iamResources: resources.map((type) => sagemakerResourceArn(scope, type)),
      ...output,
    });
    task.addRetry(SAGEMAKER_RETRY);
    task.addRetry(SAGEMAKER_GENERIC_RETRY);
    return task;
  };
