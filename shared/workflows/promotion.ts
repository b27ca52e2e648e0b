import { z } from 'zod';

/**
 * The contract between the promotion state machine (infra/constructs/promotion-workflow.ts) and the Lambda
 * that runs its registry steps (functions/deployments/step-handler.ts): state names, error names and the
 * payloads each step receives and returns. The infra tests assert that the definition uses exactly these.
 *
 * Execution input: `{ "deploymentId": "<id>" }`; the execution is named after the deployment, so starting
 * it twice (a retried stream batch) starts it once.
 */

/** Errors the step Lambda throws by `name`; Retry and Catch match them. */
export const STEP_ERRORS = {
  /** The version cannot be deployed (not READY, no MLmodel, no pyfunc flavor, no image...): not retried. */
  versionNotDeployable: 'VersionNotDeployable',
  /** Another promotion holds the endpoint: retried with backoff until it lets go. */
  endpointBusy: 'EndpointBusy',
  /** DynamoDB throttled or conflicted: retried. */
  temporarilyUnavailable: 'TemporarilyUnavailable',
  /** The error SendTaskFailure reports when an approver rejects the deployment. */
  rejected: 'DeploymentRejected',
} as const;

/** Errors of SageMaker calls (AWS SDK integration: `SageMaker.<ErrorName>Exception`) worth retrying. */
export const SAGEMAKER_RETRYABLE_ERRORS = ['SageMaker.ThrottlingException', 'SageMaker.ServiceUnavailableException', 'SageMaker.InternalFailureException'];
/**
 * Step Functions reports SageMaker errors its SDK does not model under this one name, throttling and
 * validation errors alike: retried a few times, briefly, so throttling passes and a real refusal still
 * fails within seconds.
 */
export const SAGEMAKER_GENERIC_ERROR = 'SageMaker.AmazonSageMakerException';
/**
 * How DescribeEndpoint says an endpoint does not exist, in the error's Cause (a Choice `StringMatches`
 * pattern). Matching the text, not the error name, keeps this right whichever name Step Functions gives
 * the ValidationException.
 */
export const SAGEMAKER_NOT_FOUND_CAUSE = '*Could not find endpoint*';

export const STATES = {
  init: 'Init',
  validate: 'ValidateVersion',
  approvalRequired: 'ApprovalRequired',
  waitForApproval: 'WaitForApproval',
  claim: 'ClaimEndpoint',
  superseded: 'Superseded?',
  recordSuperseded: 'RecordSuperseded',
  createModel: 'CreateModel',
  createEndpointConfig: 'CreateEndpointConfig',
  findEndpoint: 'FindEndpoint',
  endpointMissing: 'EndpointMissing?',
  existingEndpointStable: 'ExistingEndpointStable?',
  waitForExistingEndpoint: 'WaitForExistingEndpoint',
  deleteBrokenEndpoint: 'DeleteBrokenEndpoint',
  createEndpoint: 'CreateEndpoint',
  updateEndpoint: 'UpdateEndpoint',
  waitForEndpoint: 'WaitForEndpoint',
  describeEndpoint: 'DescribeEndpoint',
  endpointSettled: 'EndpointSettled?',
  recordOutcome: 'RecordOutcome',
  recordFailure: 'RecordFailure',
  recordRejected: 'RecordRejected',
  deleteEndpointChoice: 'DeleteFailedEndpoint?',
  deleteEndpoint: 'DeleteFailedEndpoint',
  deleteConfigs: 'DeleteUnusedEndpointConfigs',
  deleteConfig: 'DeleteEndpointConfig',
  deleteModels: 'DeleteUnusedModels',
  deleteModel: 'DeleteModel',
  inService: 'InService?',
  deployed: 'Deployed',
  failed: 'DeploymentFailed',
  rejectedEnd: 'Rejected',
  supersededEnd: 'SupersededEnd',
} as const;

/** `$.error` after a Catch: Step Functions' `{ Error, Cause }`. */
const CaughtErrorSchema = z.object({ Error: z.string(), Cause: z.string().optional().nullable() });

/** What the step Lambda receives; `step` picks the action. */
export const StepInputSchema = z.discriminatedUnion('step', [
  z.object({ step: z.literal('validate'), deploymentId: z.string() }),
  z.object({ step: z.literal('await-approval'), deploymentId: z.string(), taskToken: z.string().min(1) }),
  z.object({ step: z.literal('claim'), deploymentId: z.string() }),
  z.object({ step: z.literal('supersede'), deploymentId: z.string() }),
  z.object({
    step: z.literal('finish'),
    deploymentId: z.string(),
    endpoint: z.looseObject({
      EndpointStatus: z.string(),
      EndpointConfigName: z.string().optional().nullable(),
      FailureReason: z.string().optional().nullable(),
    }),
  }),
  z.object({
    step: z.literal('fail'),
    deploymentId: z.string(),
    error: CaughtErrorSchema,
    progress: z.object({ endpointRequested: z.boolean() }),
  }),
  z.object({ step: z.literal('reject'), deploymentId: z.string(), error: CaughtErrorSchema }),
]);
export type StepInput = z.infer<typeof StepInputSchema>;

/**
 * The output of `validate` (kept at `$.plan`): the SageMaker requests, ready to pass through. The state machine
 * sends `createModel` and `createEndpointConfig` as they are, and `DeploymentConfig` on UpdateEndpoint.
 */
export interface PromotionPlan {
  deploymentId: string;
  endpointName: string;
  approvalRequired: boolean;
  createModel: {
    ModelName: string;
    ExecutionRoleArn: string;
    PrimaryContainer: Record<string, unknown>;
  };
  createEndpointConfig: { EndpointConfigName: string; ProductionVariants: Record<string, unknown>[] };
  deploymentConfig: Record<string, unknown>;
}

/** The output of `claim` (at `$.claim`). */
export interface ClaimResult {
  /** A later promotion of the same endpoint was requested: this one steps aside. */
  superseded: boolean;
}

/** The output of `finish` and `fail` (at `$.outcome`): the status recorded, and what to delete. */
export interface OutcomeResult {
  status: 'IN_SERVICE' | 'FAILED' | 'ROLLED_BACK';
  cleanup: {
    /** An endpoint this promotion created that never came into service. */
    endpointName: string | null;
    endpointConfigNames: string[];
    modelNames: string[];
  };
}
