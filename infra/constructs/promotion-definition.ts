import type { Duration } from 'aws-cdk-lib';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import {
  Choice,
  Condition,
  Errors,
  IntegrationPattern,
  JsonPath,
  Pass,
  Result,
  TaskInput,
  Timeout,
  Wait,
  WaitTime,
  type IChainable,
} from 'aws-cdk-lib/aws-stepfunctions';
import { LambdaInvoke } from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { Construct } from 'constructs';
import { SAGEMAKER_NOT_FOUND_CAUSE, STATES, STEP_ERRORS } from '../../shared/workflows/promotion.js';
import { promotionCleanup, promotionEnds } from './promotion-cleanup.js';
import {
  deploymentId,
  ENDPOINT_BUSY_RETRY,
  ERROR_PATH,
  sagemakerTaskFactory,
  settled,
  stepTaskFactory,
  TEMPORARY_RETRY,
} from './promotion-tasks.js';

// Importers (promotion-workflow.ts, sagemaker-execution-role.ts) take these from here; they live in promotion-tasks.ts.
export {
  SAGEMAKER_RESOURCE_PREFIX,
  SETTLED_ENDPOINT_STATUSES,
  sagemakerResourceArn,
  type SageMakerResourceType,
} from './promotion-tasks.js';

export interface PromotionDefinitionProps {
  /** The step Lambda (functions/deployments/step-handler.ts), invoked for every registry step. */
  readonly stepFunction: IFunction;
  /** How long WaitForApproval waits for an approve or reject call. */
  readonly approvalTimeout: Duration;
  /** The wait between two DescribeEndpoint calls. */
  readonly endpointPollInterval: Duration;
}

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
  const step = stepTaskFactory(scope, props.stepFunction);
  const sagemaker = sagemakerTaskFactory(scope);
  const endpointName = JsonPath.stringAt('$.plan.endpointName');
  const endpointConfigName = JsonPath.stringAt('$.plan.createEndpointConfig.EndpointConfigName');
  const requested = { resultPath: '$.progress', resultSelector: { endpointRequested: true } };

  // Ends, then the cleanup both the outcome and the failure lead to (promotion-cleanup.ts)
  const ends = promotionEnds(scope);
  const { failed, rejectedEnd, supersededEnd } = ends;
  const cleanup = promotionCleanup(scope, sagemaker, ends);

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
  // Not found is read from the error's text: the other errors of DescribeEndpoint are failures.
  findEndpoint.addCatch(
    Choice.jsonPath(scope, STATES.endpointMissing)
      .when(
        Condition.and(Condition.isString('$.error.Cause'), Condition.stringMatches('$.error.Cause', SAGEMAKER_NOT_FOUND_CAUSE)),
        createEndpoint,
      )
      .otherwise(recordFailure),
    toFailure,
  );
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
