import type { DeploymentRepository } from '../../data/deployments/repository.js';
import type { TrackingDeps } from '../dependencies.js';

/** Where deployments go: set in AWS (the stack passes the state machine), absent locally. */
export interface DeploymentSettings {
  /** The promotion state machine; absent: promotions are recorded as NOT_DEPLOYED. */
  readonly stateMachineArn?: string;
  /** The execution role deployments use unless their policy names another allowed one. */
  readonly executionRoleArn?: string;
  /** Other roles a policy may name: the state machine may pass these and no others. */
  readonly allowedRoleArns: readonly string[];
  /** The default serving image (MLflow's pyfunc image in the user's ECR). */
  readonly servingImageUri?: string;
}

/** Step Functions' task-response API, which approvals and rejections go through. */
export interface TaskResponder {
  sendTaskSuccess(taskToken: string, output: string): Promise<void>;
  sendTaskFailure(taskToken: string, error: string, cause: string): Promise<void>;
}

/** Reads a model version's files from Cairn's artifact store. */
export interface ModelFiles {
  /** The text of `path` under the artifact location `uri`, or undefined when there is no such file. */
  readText(uri: string, path: string): Promise<string | undefined>;
  /** The `s3://bucket/key/` prefix SageMaker downloads the model from; throws when the store is not S3. */
  s3Prefix(uri: string): string;
}

/** SageMaker Runtime's InvokeEndpoint, as scoring needs it. */
export interface EndpointInvoker {
  invoke(endpointName: string, body: string, contentType: string): Promise<{ status: number; body: string; contentType: string }>;
}

export interface DeploymentDeps {
  readonly tracking: TrackingDeps;
  readonly deployments: DeploymentRepository;
  readonly settings: DeploymentSettings;
  readonly files?: ModelFiles;
  readonly tasks?: TaskResponder;
  readonly endpoints?: EndpointInvoker;
}
