/**
 * Everything a promotion runs on, locally: the API (DynamoDB Local, artifacts in S3 on fauxqs), the state machine
 * definition synthesized from Cairn's own stack and executed by aws-local-stepfunctions, its Lambda steps run
 * in-process, its SageMaker tasks sent by the real SDK to the SageMaker fake, and the stream starter fed with the
 * deployment items the registry transactions wrote.
 */
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { SageMakerClient } from '@aws-sdk/client-sagemaker';
import { SageMakerRuntimeClient } from '@aws-sdk/client-sagemaker-runtime';
import type { DynamoDBRecord } from 'aws-lambda';
import { Template } from 'aws-cdk-lib/assertions';
import { createStepRunner } from '../../functions/deployments/steps.js';
import { toDeploymentItem } from '../../shared/data/deployments/codec.js';
import { toAttributes } from '../../shared/data/dynamo-ops.js';
import { createEndpointInvoker } from '../../functions/api/deployment-adapters.js';
import { createPromotionStarter } from '../../functions/deployments/promotion-stream.js';
import type { DeploymentSettings } from '../../shared/domain/deployments/ports.js';
import { createApp } from '../../infra/create-app.js';
import { TEST_CONTEXT } from '../infra/fixture.js';
import { stateMachineDefinition } from './asl-from-template.js';
import { S3_PREFIX, s3Artifacts, startFauxqs, type Fauxqs } from './fauxqs.js';
import { createLocalStateMachine, type ExecutionOutcome, type LocalExecution, type LocalStateMachine } from './local-state-machine.js';
import { startSageMakerFake, type SageMakerFake } from './sagemaker-fake.js';
import { createTestApiWith, type TestApi } from './test-api.js';

export const SERVING_IMAGE = '123456789012.dkr.ecr.us-east-1.amazonaws.com/mlflow-pyfunc:2.22.0';
export const EXECUTION_ROLE = 'arn:aws:iam::123456789012:role/cairn-sagemaker-execution';

let definition: Record<string, unknown> | undefined;
/** The definition `cdk synth` produces, resolved to plain ASL (synthesized once per process). */
export const promotionDefinition = () => {
  if (!definition) {
    const app = createApp({ nag: false, context: { ...TEST_CONTEXT } });
    const template = Template.fromStack(app.apiStack);
    const machines = template.findResources('AWS::StepFunctions::StateMachine');
    const [logicalId] = Object.keys(machines);
    definition = stateMachineDefinition(template, logicalId);
  }
  return definition;
};

export const sklearnMlModel = (flavors = ['python_function', 'sklearn']) =>
  [
    'artifact_path: model',
    'flavors:',
    ...(flavors.includes('python_function')
      ? ['  python_function:', '    env:', '      conda: conda.yaml', '    loader_module: mlflow.sklearn', '    model_path: model.pkl', '    python_version: 3.11.9']
      : []),
    ...(flavors.includes('sklearn') ? ['  sklearn:', '    pickled_model: model.pkl', '    serialization_format: cloudpickle', '    sklearn_version: 1.5.1'] : []),
    'mlflow_version: 2.22.0',
    'signature:',
    `  inputs: '[{"type": "double", "name": "x", "required": true}, {"type": "double", "name": "y", "required": true}]'`,
    `  outputs: '[{"type": "long", "required": true}]'`,
    '  params: null',
  ].join('\n');

export interface PromotionHarness {
  api: TestApi;
  sagemaker: SageMakerFake;
  machine: LocalStateMachine;
  executions: Map<string, LocalExecution>;
  /** Uploads a model folder (MLmodel + model.pkl) and registers it as the next version of `name`. */
  registerVersion(name: string, mlmodel?: string): Promise<string>;
  /** Feeds the stream starter the deployments recorded since the last call, as their INSERT records. */
  startPending(name: string): Promise<string[]>;
  /** Feeds the starter one deployment's INSERT record again, as a retried stream batch does. */
  replayStart(deploymentId: string): Promise<void>;
  /** Waits for the execution of a deployment. */
  outcome(deploymentId: string): Promise<ExecutionOutcome>;
  deployment(deploymentId: string): Promise<any>;
  versionTags(name: string, version: string): Promise<Record<string, string>>;
  close(): Promise<void>;
}

export const startPromotionHarness = async (options: { fastTimeMs?: number } = {}): Promise<PromotionHarness> => {
  const fauxqs: Fauxqs = await startFauxqs();
  const bucket = await fauxqs.createBucket();
  const sagemaker = await startSageMakerFake();
  const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };
  // No SDK retries: throttling has to reach the state machine, whose Retry is under test.
  const sagemakerClient = new SageMakerClient({ endpoint: sagemaker.url, region: 'us-east-1', credentials, maxAttempts: 1 });
  const runtimeClient = new SageMakerRuntimeClient({ endpoint: sagemaker.url, region: 'us-east-1', credentials, maxAttempts: 1 });
  const settings: DeploymentSettings = {
    stateMachineArn: 'arn:aws:states:us-east-1:123456789012:stateMachine:cairn-promotion',
    executionRoleArn: EXECUTION_ROLE,
    allowedRoleArns: [],
    servingImageUri: SERVING_IMAGE,
  };
  let runSteps: (payload: unknown) => Promise<unknown> = async () => {
    throw new Error('steps not wired yet');
  };
  const machine = createLocalStateMachine({
    definition: promotionDefinition(),
    invokeLambda: (_arn, payload) => runSteps(payload),
    sagemaker: sagemakerClient,
    fastTimeMs: options.fastTimeMs ?? 5,
  });
  const api = await createTestApiWith('dynamodb-local', s3Artifacts(fauxqs, bucket, 'redirect'), {
    settings,
    tasks: machine,
    endpoints: createEndpointInvoker(runtimeClient),
  });
  runSteps = createStepRunner(api.deployments);
  const executions = new Map<string, LocalExecution>();
  const starter = createPromotionStarter(
    api.deployments,
    async (deploymentId) => {
      const execution = machine.start(deploymentId, { deploymentId });
      executions.set(deploymentId, execution);
    },
    (error) => console.error(error),
  );
  const started = new Set<string>();
  const feed = async (id: string) => {
    const stored = await api.deployments.deployments.get(id);
    if (!stored) throw new Error(`deployment ${id} vanished`);
    const record: DynamoDBRecord = {
      eventName: 'INSERT',
      dynamodb: { NewImage: toAttributes(toDeploymentItem(stored)) as never, SequenceNumber: `${Date.now()}` },
    };
    const answer = await starter({ Records: [record] });
    if (answer.batchItemFailures.length) throw new Error(`starting ${id} failed`);
  };
  let runCounter = 0;

  const harness: PromotionHarness = {
    api,
    sagemaker,
    machine,
    executions,
    async registerVersion(name, mlmodel = sklearnMlModel()) {
      const folder = `1/run${++runCounter}-${Date.now()}/artifacts/model`;
      for (const [file, body] of [
        ['MLmodel', mlmodel],
        ['model.pkl', 'pickled'],
      ] as const) {
        await fauxqs.client.send(new PutObjectCommand({ Bucket: bucket, Key: `${S3_PREFIX}/${folder}/${file}`, Body: body }));
      }
      await api.call('POST', '/api/2.0/mlflow/registered-models/create', { name });
      const created = await api.call('POST', '/api/2.0/mlflow/model-versions/create', { name, source: `mlflow-artifacts:/${folder}` });
      return created.body.model_version.version as string;
    },
    async startPending(name) {
      const listed = await api.call('GET', '/api/2.0/cairn/deployments/list', { name });
      const fresh = (listed.body.deployments as { deployment_id: string }[]).filter((d) => !started.has(d.deployment_id)).reverse();
      for (const { deployment_id: id } of fresh) {
        started.add(id);
        await feed(id);
      }
      return fresh.map((d) => d.deployment_id);
    },
    replayStart: feed,
    async outcome(deploymentId) {
      const execution = executions.get(deploymentId);
      if (!execution) throw new Error(`no execution for ${deploymentId}`);
      return execution.result;
    },
    async deployment(deploymentId) {
      return (await api.call('GET', '/api/2.0/cairn/deployments/get', { deployment_id: deploymentId })).body.deployment;
    },
    async versionTags(name, version) {
      const mv = await api.call('GET', '/api/2.0/mlflow/model-versions/get', { name, version });
      return Object.fromEntries((mv.body.model_version.tags ?? []).map((t: { key: string; value: string }) => [t.key, t.value]));
    },
    async close() {
      await machine.dispose();
      sagemakerClient.destroy();
      runtimeClient.destroy();
      await sagemaker.close();
      await fauxqs.close();
    },
  };
  return harness;
};
