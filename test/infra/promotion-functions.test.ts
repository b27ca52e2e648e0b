import { describe, expect, it } from 'vitest';
import { ENV } from '../../shared/config/env.js';
import { DEPLOYMENT_ENTITY } from '../../shared/data/deployments/keys.js';
import { TABLE } from '../../shared/data/table-definition.js';
import { actionsOf, allActions, logicalId, statementsFor, statementsOf } from './fixture.js';
import { flatResources, synthesizePromotion } from './promotion-fixture.js';

// The Lambdas of the promotion workflow and how they are wired to it: the starter (table stream → executions),
// the step Lambda, and the API function answering approvals; plus the stack's outputs. The definition is in
// promotion-definition.test.ts, the state machine's and SageMaker's roles in promotion-roles.test.ts.

describe('promotion workflow', () => {
  // Prepare (shared)
  const { api, apiStack, dataStack, promotion, apiFunction, machineArn } = synthesizePromotion();

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
