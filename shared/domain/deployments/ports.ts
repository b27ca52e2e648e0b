import type { RegistryStore } from '../registry/ports.js';
import type { Deployment, DeploymentPolicy, DeploymentStatus, DeploymentStep } from './entities.js';

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

/** Starts the promotion of one deployment; named after it, so a second start of the same one is a no-op. */
export type PromotionLauncher = (deploymentId: string) => Promise<void>;

/** SageMaker Runtime's InvokeEndpoint, as scoring needs it. */
export interface EndpointInvoker {
  invoke(endpointName: string, body: string, contentType: string): Promise<{ status: number; body: string; contentType: string }>;
}

/** Where a listing of a model's deployments continues: the last deployment of the previous page. */
export interface DeploymentCursor {
  readonly createdAt: number;
  readonly deploymentId: string;
}

/** A change of a deployment's status, with the step it adds to the history. */
export interface StatusChange {
  status: DeploymentStatus;
  step: DeploymentStep;
  message?: string;
  /** Only from these statuses (the change is dropped otherwise and `false` returned). */
  from?: readonly DeploymentStatus[];
  taskToken?: string | null;
  executionArn?: string;
  /** Only while no execution is recorded (a retried stream batch records its start once). */
  firstExecution?: boolean;
}

/** A SageMaker endpoint as promotions share it: the latest request, the one holding it, the one in service. */
export interface EndpointRecord {
  endpointName: string;
  latestDeploymentId: string;
  lockHolder?: string;
  lockExpiresAt?: number;
  inServiceDeploymentId?: string;
}

/**
 * Deployments, policies and endpoints (shared/data/deployments). A policy and a new deployment are written
 * by registry changes (RegistryChange.deploymentPolicy, .promotion), so they are in one transaction with it.
 */
export interface DeploymentStore {
  getPolicy(modelId: string): Promise<DeploymentPolicy | undefined>;
  get(deploymentId: string): Promise<Deployment | undefined>;
  /** A model's deployments, newest first, after `cursor` (the last one of the previous page). */
  listForModel(modelId: string, limit: number, cursor?: DeploymentCursor): Promise<{ deployments: Deployment[]; next?: DeploymentCursor }>;
  /** Moves a deployment on; undefined when it is missing or not in one of `change.from`. */
  changeStatus(deploymentId: string, now: number, change: StatusChange): Promise<Deployment | undefined>;
  getEndpoint(endpointName: string): Promise<EndpointRecord | undefined>;
  /**
   * Takes the endpoint for `deploymentId`: free, already its own, or held past its lease (an execution that
   * died holding it). Undefined when another promotion holds it.
   */
  claimEndpoint(endpointName: string, deploymentId: string, now: number, leaseMs: number): Promise<EndpointRecord | undefined>;
  /** Lets go of the endpoint if `deploymentId` holds it; optionally records it as the one in service. */
  releaseEndpoint(endpointName: string, deploymentId: string, inService: boolean): Promise<void>;
}

/** Every port of the deployment use cases; each takes only the ones it uses. */
export interface DeploymentPorts {
  readonly registry: RegistryStore;
  readonly deployments: DeploymentStore;
  readonly settings: DeploymentSettings;
  readonly now: () => number;
  readonly files?: ModelFiles;
  readonly tasks?: TaskResponder;
  readonly endpoints?: EndpointInvoker;
}

/** What the composition roots build for the API and the state machine's steps. */
export type DeploymentDeps = DeploymentPorts;
