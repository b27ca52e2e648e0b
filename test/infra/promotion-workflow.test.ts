import { describe, expect, it } from 'vitest';
import { SAGEMAKER_RESOURCE_PREFIX } from '../../infra/constructs/promotion-workflow.js';
import { flattenReference } from '../../infra/nag.js';
import { ENV } from '../../shared/config/env.js';
import { DEPLOYMENT_ENTITY } from '../../shared/data/deployments/keys.js';
import { TABLE } from '../../shared/data/table-definition.js';
import { SAGEMAKER_NOT_FOUND_ERROR, SAGEMAKER_RETRYABLE_ERRORS, STATES, STEP_ERRORS } from '../../shared/workflows/promotion.js';
import { stateMachineDefinition } from '../support/asl-from-template.js';
import { actionsOf, allActions, logicalId, roleStatements, statementsFor, statementsOf, synthesize, type Statement } from './fixture.js';

interface AslState {
  Type: string;
  Resource?: string;
  Next?: string;
  End?: boolean;
  Default?: string;
  Parameters?: Record<string, unknown>;
  ResultPath?: string | null;
  ResultSelector?: Record<string, unknown>;
  TimeoutSeconds?: number;
  Seconds?: number;
  QueryLanguage?: string;
  Retry?: { ErrorEquals: string[]; IntervalSeconds?: number; MaxAttempts?: number; BackoffRate?: number; MaxDelaySeconds?: number }[];
  Catch?: { ErrorEquals: string[]; ResultPath?: string | null; Next: string }[];
  Choices?: Record<string, unknown>[];
  ItemsPath?: string;
  ItemSelector?: Record<string, unknown>;
  ItemProcessor?: { StartAt: string; States: Record<string, AslState> };
}

/** Every state, those of Map item processors included, by name. */
const allStates = (states: Record<string, AslState>): Record<string, AslState> =>
  Object.entries(states).reduce<Record<string, AslState>>(
    (all, [name, state]) => ({ ...all, [name]: state, ...(state.ItemProcessor ? allStates(state.ItemProcessor.States) : {}) }),
    {},
  );

/** The ARNs a statement names, as cdk-nag flattens them (`arn:<AWS::Partition>:sagemaker:...`). */
const flatResources = (statement: Statement) => [statement.Resource].flat().map(flattenReference);

const isSageMakerTask = (state: AslState) => state.Type === 'Task' && /:aws-sdk:sagemaker:/.test(state.Resource ?? '');
const STEP_FUNCTION_ARN = /^arn:aws:lambda:us-east-1:123456789012:function:\w*PromotionSteps\w*$/;

describe('promotion workflow', () => {
  // Prepare (shared)
  const { api, apiStack, dataStack } = synthesize({ artifactPrefix: 'mlflow', alarmEmail: 'ops@example.com' });
  const { promotion, apiFunction } = apiStack.service;
  const definition = stateMachineDefinition(api) as { StartAt: string; States: Record<string, AslState>; TimeoutSeconds: number };
  const states = allStates(definition.States);
  const state = (name: string): AslState => {
    const found = states[name];
    if (!found) throw new Error(`no state ${name}`);
    return found;
  };
  const machine = Object.values(api.findResources('AWS::StepFunctions::StateMachine'))[0]?.Properties;
  const machineArn = { Ref: logicalId(promotion.stateMachine) };

  describe('definition', () => {
    it('has every state the contract names, and starts at Init', () => {
      // Assess
      expect(Object.keys(states)).toEqual(expect.arrayContaining(Object.values(STATES)));
      expect(definition.StartAt).toBe(STATES.init);
      expect(state(STATES.init)).toMatchObject({ Type: 'Pass', Result: { endpointRequested: false }, ResultPath: '$.progress' });
    });

    it('uses JSONPath only, never JSONata', () => {
      // Assess
      expect(definition).not.toHaveProperty('QueryLanguage');
      expect(Object.values(states).filter((s) => s.QueryLanguage !== undefined)).toEqual([]);
      expect(JSON.stringify(definition)).not.toContain('JSONata');
    });

    it('leads every transition to a state that exists', () => {
      // Prepare
      const targets = Object.values(states).flatMap((s) => [
        ...(s.Next ? [s.Next] : []),
        ...(s.Default ? [s.Default] : []),
        ...(s.Catch ?? []).map((c) => c.Next),
        ...(s.Choices ?? []).map((c) => c.Next as string),
      ]);

      // Assess
      expect(targets.filter((name) => !(name in states))).toEqual([]);
    });

    it('retries throttling with backoff and catches every error on every SageMaker call', () => {
      // Prepare
      const tasks = Object.entries(states).filter(([, s]) => isSageMakerTask(s));

      // Assess
      expect(tasks.map(([name]) => name).sort()).toEqual(
        [
          STATES.createModel,
          STATES.createEndpointConfig,
          STATES.findEndpoint,
          STATES.createEndpoint,
          STATES.updateEndpoint,
          STATES.describeEndpoint,
          STATES.deleteBrokenEndpoint,
          STATES.deleteEndpoint,
          STATES.deleteConfig,
          STATES.deleteModel,
        ].sort(),
      );
      for (const [name, task] of tasks) {
        expect(task.Retry, name).toContainEqual(
          expect.objectContaining({ ErrorEquals: SAGEMAKER_RETRYABLE_ERRORS, BackoffRate: 2, MaxAttempts: 6, JitterStrategy: 'FULL' }),
        );
        expect(task.Catch?.some((c) => c.ErrorEquals.includes('States.ALL')), name).toBe(true);
      }
    });

    it('catches every error of every step Lambda, with CDK\'s Lambda service retries and TemporarilyUnavailable retried', () => {
      // Prepare
      const steps = Object.entries(states).filter(([, s]) => s.Type === 'Task' && !isSageMakerTask(s));

      // Assess
      expect(steps.map(([name]) => name).sort()).toEqual(
        [
          STATES.validate,
          STATES.waitForApproval,
          STATES.claim,
          STATES.recordSuperseded,
          STATES.recordOutcome,
          STATES.recordFailure,
          STATES.recordRejected,
        ].sort(),
      );
      for (const [name, step] of steps) {
        expect(step.Catch?.some((c) => c.ErrorEquals.includes('States.ALL')), name).toBe(true);
        expect(step.Retry?.map((r) => r.ErrorEquals), name).toEqual(
          expect.arrayContaining([expect.arrayContaining(['Lambda.ServiceException']), [STEP_ERRORS.temporarilyUnavailable]]),
        );
      }
    });

    it('sends the failures of every task to RecordFailure with the error at $.error, and RecordFailure\'s own to DeploymentFailed', () => {
      // Prepare
      const tasks = Object.entries(definition.States).filter(([name, s]) => s.Type === 'Task' && name !== STATES.deleteEndpoint);

      // Assess
      for (const [name, task] of tasks) {
        const catchAll = task.Catch?.find((c) => c.ErrorEquals.includes('States.ALL'));
        if (name === STATES.recordFailure) expect(catchAll?.Next).toBe(STATES.failed);
        else expect(catchAll, name).toEqual({ ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: STATES.recordFailure });
      }
      expect(state(STATES.recordFailure).Parameters).toEqual({
        step: 'fail',
        'deploymentId.$': '$.deploymentId',
        'error.$': '$.error',
        'progress.$': '$.progress',
      });
    });

    it('invokes the step Lambda with the contract\'s payloads, keeping results where the next states read them', () => {
      // Assess
      expect(state(STATES.validate)).toMatchObject({
        Resource: expect.stringMatching(STEP_FUNCTION_ARN),
        Parameters: { step: 'validate', 'deploymentId.$': '$.deploymentId' },
        ResultPath: '$.plan',
      });
      expect(state(STATES.claim)).toMatchObject({ Parameters: { step: 'claim', 'deploymentId.$': '$.deploymentId' }, ResultPath: '$.claim' });
      expect(state(STATES.recordSuperseded)).toMatchObject({ Parameters: { step: 'supersede', 'deploymentId.$': '$.deploymentId' }, Next: STATES.supersededEnd });
      expect(state(STATES.recordOutcome)).toMatchObject({
        Parameters: { step: 'finish', 'deploymentId.$': '$.deploymentId', 'endpoint.$': '$.endpoint' },
        ResultPath: '$.outcome',
      });
      expect(state(STATES.recordRejected)).toMatchObject({ Parameters: { step: 'reject', 'error.$': '$.error' }, Next: STATES.rejectedEnd });
    });

    it('waits for approval with a task token, for 7 days, and sends a rejection to RecordRejected', () => {
      // Prepare
      const wait = state(STATES.waitForApproval);

      // Assess
      expect(wait.Resource).toBe('arn:aws:states:::lambda:invoke.waitForTaskToken');
      expect(wait.Parameters).toEqual({
        FunctionName: expect.stringMatching(STEP_FUNCTION_ARN),
        Payload: { step: 'await-approval', 'deploymentId.$': '$.deploymentId', 'taskToken.$': '$$.Task.Token' },
      });
      expect(wait.TimeoutSeconds).toBe(7 * 24 * 3600);
      expect(wait.Catch).toContainEqual({ ErrorEquals: [STEP_ERRORS.rejected], ResultPath: '$.error', Next: STATES.recordRejected });
      expect(state(STATES.approvalRequired)).toMatchObject({
        Choices: [{ Variable: '$.plan.approvalRequired', BooleanEquals: true, Next: STATES.waitForApproval }],
        Default: STATES.claim,
      });
    });

    it('retries ClaimEndpoint while the endpoint is busy, backing off to 5 minutes, for hours', () => {
      // Prepare
      const busy = state(STATES.claim).Retry?.find((r) => r.ErrorEquals.includes(STEP_ERRORS.endpointBusy));

      // Assess
      expect(busy).toMatchObject({ ErrorEquals: [STEP_ERRORS.endpointBusy], IntervalSeconds: 30, BackoffRate: 1.5, MaxDelaySeconds: 300 });
      expect((busy?.MaxAttempts ?? 0) * 300).toBeGreaterThanOrEqual(4 * 3600);
    });

    it('creates the model and endpoint config from the plan, discarding their results', () => {
      // Assess
      expect(state(STATES.createModel)).toMatchObject({
        Resource: 'arn:aws:states:::aws-sdk:sagemaker:createModel',
        Parameters: {
          'ModelName.$': '$.plan.createModel.ModelName',
          'ExecutionRoleArn.$': '$.plan.createModel.ExecutionRoleArn',
          'PrimaryContainer.$': '$.plan.createModel.PrimaryContainer',
        },
        ResultPath: null,
        Next: STATES.createEndpointConfig,
      });
      expect(state(STATES.createEndpointConfig)).toMatchObject({
        Parameters: {
          'EndpointConfigName.$': '$.plan.createEndpointConfig.EndpointConfigName',
          'ProductionVariants.$': '$.plan.createEndpointConfig.ProductionVariants',
        },
        ResultPath: null,
        Next: STATES.findEndpoint,
      });
    });

    it('creates the endpoint when DescribeEndpoint finds none, and updates it blue/green once it is stable', () => {
      // Assess
      expect(state(STATES.findEndpoint).Catch?.[0]).toEqual({
        ErrorEquals: [SAGEMAKER_NOT_FOUND_ERROR],
        ResultPath: '$.notFound',
        Next: STATES.createEndpoint,
      });
      expect(state(STATES.existingEndpointStable).Default).toBe(STATES.waitForExistingEndpoint);
      expect(JSON.stringify(state(STATES.existingEndpointStable).Choices)).toContain(`"Next":"${STATES.updateEndpoint}"`);
      expect(state(STATES.waitForExistingEndpoint)).toMatchObject({ Seconds: 30, Next: STATES.findEndpoint });
      expect(state(STATES.updateEndpoint).Parameters).toEqual({
        'EndpointName.$': '$.plan.endpointName',
        'EndpointConfigName.$': '$.plan.createEndpointConfig.EndpointConfigName',
        'DeploymentConfig.$': '$.plan.deploymentConfig',
      });
      for (const name of [STATES.createEndpoint, STATES.updateEndpoint]) {
        expect(state(name)).toMatchObject({ ResultSelector: { endpointRequested: true }, ResultPath: '$.progress', Next: STATES.waitForEndpoint });
      }
    });

    it('polls the endpoint until it is InService or Failed, then records the outcome', () => {
      // Prepare
      const settled = JSON.stringify(state(STATES.endpointSettled).Choices);

      // Assess
      expect(state(STATES.waitForEndpoint)).toMatchObject({ Seconds: 30, Next: STATES.describeEndpoint });
      expect(state(STATES.describeEndpoint)).toMatchObject({ ResultPath: '$.endpoint', Next: STATES.endpointSettled });
      expect(settled).toContain('"StringEquals":"InService"');
      expect(settled).toContain('"StringEquals":"Failed"');
      expect(settled).toContain(`"Next":"${STATES.recordOutcome}"`);
      expect(state(STATES.endpointSettled).Default).toBe(STATES.waitForEndpoint);
    });

    it('cleans up best effort after the outcome or the failure is recorded, then ends by the recorded status', () => {
      // Assess
      expect(state(STATES.recordOutcome).Next).toBe(STATES.deleteEndpointChoice);
      expect(state(STATES.recordFailure).Next).toBe(STATES.deleteEndpointChoice);
      expect(state(STATES.deleteEndpoint)).toMatchObject({
        Parameters: { 'EndpointName.$': '$.outcome.cleanup.endpointName' },
        Next: STATES.deleteConfigs,
        Catch: [expect.objectContaining({ ErrorEquals: ['States.ALL'], Next: STATES.deleteConfigs })],
      });
      expect(state(STATES.deleteConfigs)).toMatchObject({
        Type: 'Map',
        ItemsPath: '$.outcome.cleanup.endpointConfigNames',
        ItemSelector: { 'name.$': '$$.Map.Item.Value' },
        ResultPath: null,
        Next: STATES.deleteModels,
      });
      expect(state(STATES.deleteModels)).toMatchObject({ Type: 'Map', ItemsPath: '$.outcome.cleanup.modelNames', Next: STATES.inService });
      expect(state(STATES.deleteConfig).Parameters).toEqual({ 'EndpointConfigName.$': '$.name' });
      expect(state(STATES.deleteModel).Parameters).toEqual({ 'ModelName.$': '$.name' });
      expect(state(STATES.inService)).toMatchObject({
        Choices: [{ Variable: '$.outcome.status', StringEquals: 'IN_SERVICE', Next: STATES.deployed }],
        Default: STATES.failed,
      });
      expect(state(STATES.failed)).toMatchObject({ Type: 'Fail', Error: 'DeploymentFailed' });
    });

    it('gives an execution the approval wait plus 12 hours', () => {
      // Assess
      expect(definition.TimeoutSeconds).toBe(7 * 24 * 3600 + 12 * 3600);
    });
  });

  describe('state machine', () => {
    const statements = roleStatements(api, promotion.stateMachine.role);

    it('is a STANDARD state machine, logging ALL with execution data, traced', () => {
      // Assess
      expect(machine).toMatchObject({
        StateMachineType: 'STANDARD',
        LoggingConfiguration: { Level: 'ALL', IncludeExecutionData: true },
        TracingConfiguration: { Enabled: true },
      });
    });

    it('may pass only its SageMaker execution role, and only to SageMaker', () => {
      // Prepare
      const passRole = statementsFor(statements, 'iam:PassRole');

      // Assess
      expect(passRole).toEqual([
        expect.objectContaining({
          Effect: 'Allow',
          Resource: { 'Fn::GetAtt': [logicalId(promotion.executionRole), 'Arn'] },
          Condition: { StringEquals: { 'iam:PassedToService': 'sagemaker.amazonaws.com' } },
        }),
      ]);
      expect(allActions(statements).filter((action) => action.startsWith('iam:'))).toEqual(['iam:PassRole']);
    });

    it('touches only SageMaker resources named with Cairn\'s prefix', () => {
      // Prepare
      const sagemaker = statements.filter((statement) => actionsOf(statement).some((action) => action.startsWith('sagemaker:')));

      // Assess
      expect(allActions(sagemaker)).toEqual(
        [
          'sagemaker:CreateEndpoint',
          'sagemaker:CreateEndpointConfig',
          'sagemaker:CreateModel',
          'sagemaker:DeleteEndpoint',
          'sagemaker:DeleteEndpointConfig',
          'sagemaker:DeleteModel',
          'sagemaker:DescribeEndpoint',
          'sagemaker:UpdateEndpoint',
        ],
      );
      for (const statement of sagemaker) {
        for (const resource of flatResources(statement)) {
          expect(resource).toMatch(new RegExp(`^arn:<AWS::Partition>:sagemaker:<AWS::Region>:<AWS::AccountId>:(model|endpoint-config|endpoint)/${SAGEMAKER_RESOURCE_PREFIX}\\*$`));
        }
      }
    });

    it('invokes the step Lambda and nothing else', () => {
      // Assess
      expect(statementsFor(statements, 'lambda:InvokeFunction').flatMap(flatResources).sort()).toEqual(
        [`<${logicalId(promotion.stepFunction)}.Arn>`, `<${logicalId(promotion.stepFunction)}.Arn>:*`].sort(),
      );
      expect(allActions(statements).filter((action) => /^(dynamodb|s3|states):/.test(action))).toEqual([]);
    });

    it('raises an alarm when an execution times out', () => {
      // Assess
      api.hasResourceProperties('AWS::CloudWatch::Alarm', {
        Namespace: 'AWS/States',
        MetricName: 'ExecutionsTimedOut',
        Dimensions: [{ Name: 'StateMachineArn', Value: machineArn }],
      });
    });
  });

  describe('starter', () => {
    const mapping = Object.values(api.findResources('AWS::Lambda::EventSourceMapping')).find(
      (m) => JSON.stringify(m.Properties.FunctionName) === JSON.stringify({ Ref: logicalId(promotion.starterFunction) }),
    )?.Properties;

    it('is woken by new deployment items only', () => {
      // Act
      const patterns = mapping?.FilterCriteria.Filters.map((f: { Pattern: string }) => JSON.parse(f.Pattern));

      // Assess
      expect(patterns).toEqual([{ eventName: ['INSERT'], dynamodb: { NewImage: { [TABLE.entityTypeAttribute]: { S: [DEPLOYMENT_ENTITY] } } } }]);
    });

    it('reads the table stream, reports item failures, retries, and sends failed batches to its encrypted dead-letter queue', () => {
      // Assess
      expect(mapping).toMatchObject({
        EventSourceArn: apiStack.resolve(dataStack.table.tableStreamArn),
        FunctionResponseTypes: ['ReportBatchItemFailures'],
        MaximumRetryAttempts: expect.any(Number),
        DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': [logicalId(promotion.deadLetterQueue), 'Arn'] } } },
      });
      api.hasResourceProperties('AWS::SQS::Queue', { SqsManagedSseEnabled: true });
      api.hasResourceProperties('AWS::CloudWatch::Alarm', {
        MetricName: 'ApproximateNumberOfMessagesVisible',
        Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [logicalId(promotion.deadLetterQueue), 'QueueName'] } }],
      });
    });

    it('may start executions of the promotion state machine, whose ARN it is given', () => {
      // Prepare
      const statements = statementsOf(api, promotion.starterFunction);
      const variables = api.toJSON().Resources[logicalId(promotion.starterFunction)].Properties.Environment.Variables;

      // Assess
      expect(statementsFor(statements, 'states:StartExecution').map((s) => s.Resource)).toEqual([machineArn]);
      expect(variables[ENV.promotionStateMachineArn]).toEqual(machineArn);
      expect(variables[ENV.tableName]).toBeDefined();
    });
  });

  describe('step Lambda', () => {
    const statements = statementsOf(api, promotion.stepFunction);
    const variables = api.toJSON().Resources[logicalId(promotion.stepFunction)].Properties.Environment.Variables;

    it('runs 60 seconds with 512 MB', () => {
      // Assess
      api.hasResourceProperties('AWS::Lambda::Function', {
        Role: { 'Fn::GetAtt': [logicalId(promotion.stepFunction.role!), 'Arn'] },
        Timeout: 60,
        MemorySize: 512,
      });
    });

    it('knows the execution role, the allowed roles and the artifact store', () => {
      // Assess
      expect(variables).toMatchObject({
        [ENV.sagemakerExecutionRoleArn]: { 'Fn::GetAtt': [logicalId(promotion.executionRole), 'Arn'] },
        [ENV.sagemakerAllowedRoleArns]: '',
        [ENV.artifactPrefix]: 'mlflow',
        [ENV.artifactBucket]: expect.anything(),
        [ENV.tableName]: expect.anything(),
      });
      expect(variables[ENV.servingImageUri]).toBeUndefined();
    });

    it('reads and writes the table, reads files under the artifact prefix only, and cannot start executions', () => {
      // Assess
      expect(allActions(statements)).toEqual(expect.arrayContaining(['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem']));
      expect(allActions(statements).filter((action) => action.startsWith('s3:'))).toEqual(['s3:GetObject', 's3:ListBucket']);
      expect(statementsFor(statements, 's3:ListBucket')[0]?.Condition).toEqual({ StringLike: { 's3:prefix': ['mlflow/*'] } });
      expect(allActions(statements).filter((action) => /^(states|sagemaker|iam):/.test(action))).toEqual([]);
    });
  });

  describe('SageMaker execution role', () => {
    const role = api.toJSON().Resources[logicalId(promotion.executionRole)];
    const statements = roleStatements(api, promotion.executionRole);
    const artifactObjects = JSON.stringify(apiStack.resolve(dataStack.bucket.arnForObjects('mlflow/*')));

    it('is assumed by SageMaker, with no managed policy', () => {
      // Assess
      expect(role.Properties.AssumeRolePolicyDocument.Statement).toEqual([
        expect.objectContaining({ Action: 'sts:AssumeRole', Principal: { Service: 'sagemaker.amazonaws.com' } }),
      ]);
      expect(role.Properties.ManagedPolicyArns).toBeUndefined();
    });

    it('reads model files under the artifact prefix only, and writes nothing to the bucket', () => {
      // Assess
      expect(allActions(statements).filter((action) => action.startsWith('s3:'))).toEqual(['s3:GetObject', 's3:ListBucket']);
      expect(statementsFor(statements, 's3:GetObject').map((s) => JSON.stringify(s.Resource))).toEqual([artifactObjects]);
      expect(statementsFor(statements, 's3:ListBucket')[0]?.Condition).toEqual({ StringLike: { 's3:prefix': ['mlflow/*'] } });
    });

    it('pulls images, writes endpoint logs and SageMaker metrics, reads alarms, and nothing else', () => {
      // Assess
      expect(allActions(statements)).toEqual([
        'cloudwatch:DescribeAlarms',
        'cloudwatch:PutMetricData',
        'ecr:BatchCheckLayerAvailability',
        'ecr:BatchGetImage',
        'ecr:GetAuthorizationToken',
        'ecr:GetDownloadUrlForLayer',
        'logs:CreateLogGroup',
        'logs:CreateLogStream',
        'logs:DescribeLogStreams',
        'logs:PutLogEvents',
        's3:GetObject',
        's3:ListBucket',
      ]);
      expect(statementsFor(statements, 'cloudwatch:PutMetricData')[0]?.Condition).toEqual({
        StringEquals: { 'cloudwatch:namespace': '/aws/sagemaker/Endpoints' },
      });
      expect(statementsFor(statements, 'logs:PutLogEvents').flatMap(flatResources)).toEqual([
        'arn:<AWS::Partition>:logs:<AWS::Region>:<AWS::AccountId>:log-group:/aws/sagemaker/Endpoints/cairn-*',
        'arn:<AWS::Partition>:logs:<AWS::Region>:<AWS::AccountId>:log-group:/aws/sagemaker/Endpoints/cairn-*:log-stream:*',
      ]);
    });

    it('pulls from the repositories of its account and region when no ECR serving image is configured', () => {
      // Assess
      expect(statementsFor(statements, 'ecr:BatchGetImage').flatMap(flatResources)).toEqual([
        'arn:<AWS::Partition>:ecr:<AWS::Region>:<AWS::AccountId>:repository/*',
      ]);
    });
  });

  describe('API function', () => {
    const statements = statementsOf(api, apiFunction);
    const variables = api.toJSON().Resources[logicalId(apiFunction)].Properties.Environment.Variables;

    it('answers approvals of the promotion state machine, and starts no execution', () => {
      // Prepare
      const responses = statements.filter((s) => actionsOf(s).includes('states:SendTaskSuccess'));

      // Assess
      expect(allActions(responses)).toEqual(expect.arrayContaining(['states:SendTaskSuccess', 'states:SendTaskFailure']));
      expect(responses.map((s) => s.Resource)).toEqual([machineArn]);
      expect(allActions(statements)).not.toContain('states:StartExecution');
    });

    it('invokes Cairn\'s SageMaker endpoints only', () => {
      // Assess
      expect(statementsFor(statements, 'sagemaker:InvokeEndpoint').flatMap(flatResources)).toEqual([
        'arn:<AWS::Partition>:sagemaker:<AWS::Region>:<AWS::AccountId>:endpoint/cairn-*',
      ]);
      expect(allActions(statements).filter((action) => action.startsWith('sagemaker:'))).toEqual(['sagemaker:InvokeEndpoint']);
    });

    it('knows the state machine and the execution role, so promotions deploy', () => {
      // Assess
      expect(variables).toMatchObject({
        [ENV.promotionStateMachineArn]: machineArn,
        [ENV.sagemakerExecutionRoleArn]: { 'Fn::GetAtt': [logicalId(promotion.executionRole), 'Arn'] },
        [ENV.sagemakerAllowedRoleArns]: '',
      });
    });
  });

  it('outputs the state machine and the execution role', () => {
    // Assess
    expect(Object.keys(api.findOutputs('*'))).toEqual(expect.arrayContaining(['PromotionStateMachineArn', 'SageMakerExecutionRoleArn']));
  });
});

describe('promotion workflow with a serving image and more execution roles', () => {
  // Prepare (shared)
  const image = '210987654321.dkr.ecr.eu-west-1.amazonaws.com/mlflow-pyfunc:2.0.7';
  const roles = ['arn:aws:iam::123456789012:role/team-a-sagemaker', 'arn:aws:iam::123456789012:role/team-b-sagemaker'];
  const { api, apiStack } = synthesize({ servingImageUri: image, sagemakerExecutionRoleArns: roles.join(',') });
  const { promotion, apiFunction } = apiStack.service;
  const ownRole = { 'Fn::GetAtt': [logicalId(promotion.executionRole), 'Arn'] };

  it('lets the state machine pass those roles too, and only to SageMaker', () => {
    // Act
    const passRole = statementsFor(roleStatements(api, promotion.stateMachine.role), 'iam:PassRole');

    // Assess
    expect(passRole).toEqual([
      expect.objectContaining({
        Resource: [ownRole, ...roles],
        Condition: { StringEquals: { 'iam:PassedToService': 'sagemaker.amazonaws.com' } },
      }),
    ]);
  });

  it('tells the API and the step Lambda the image and the allowed roles', () => {
    // Assess
    for (const fn of [apiFunction, promotion.stepFunction]) {
      const variables = api.toJSON().Resources[logicalId(fn)].Properties.Environment.Variables;
      expect(variables).toMatchObject({ [ENV.servingImageUri]: image, [ENV.sagemakerAllowedRoleArns]: roles.join(',') });
    }
  });

  it('pulls from the serving image\'s repository only', () => {
    // Act
    const pulls = statementsFor(roleStatements(api, promotion.executionRole), 'ecr:BatchGetImage');

    // Assess
    expect(pulls.flatMap(flatResources)).toEqual(['arn:<AWS::Partition>:ecr:eu-west-1:210987654321:repository/mlflow-pyfunc']);
  });
});
