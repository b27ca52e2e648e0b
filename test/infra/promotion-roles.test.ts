import { describe, expect, it } from 'vitest';
import { SAGEMAKER_RESOURCE_PREFIX } from '../../infra/constructs/promotion-workflow.js';
import { ENV } from '../../shared/config/env.js';
import { actionsOf, allActions, logicalId, roleStatements, statementsFor, synthesize } from './fixture.js';
import { flatResources, synthesizePromotion } from './promotion-fixture.js';

// The promotion workflow's roles: the state machine's (what it may pass and touch) and SageMaker's execution role,
// with the default settings and with a serving image and more execution roles. The definition is in
// promotion-definition.test.ts, the Lambdas in promotion-functions.test.ts.

describe('promotion workflow', () => {
  // Prepare (shared)
  const { api, apiStack, dataStack, promotion, machineArn } = synthesizePromotion();
  const machine = Object.values(api.findResources('AWS::StepFunctions::StateMachine'))[0]?.Properties;

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
