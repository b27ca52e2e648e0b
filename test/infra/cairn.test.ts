import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { Cairn } from '../../infra/constructs/cairn.js';
import { TEST_CONTEXT, UI_ASSET_PATH } from './fixture.js';

describe('Cairn construct', () => {
  // Prepare (shared): a user's own app and stack
  const app = new App({ context: TEST_CONTEXT });
  const stack = new Stack(app, 'MyPlatform');
  const cairn = new Cairn(stack, 'Cairn', { allowedOrigins: ['https://ml.example.com'], stageName: 'mlflow', alarmEmail: 'ops@example.com', uiAssetPath: UI_ASSET_PATH });
  const template = Template.fromStack(stack);

  it('builds the data, the service and the web UI in one stack', () => {
    // Assess: the artifact bucket and the UI's; Cairn's seven functions and the UI deployment's handler
    template.resourceCountIs('AWS::DynamoDB::Table', 1);
    template.resourceCountIs('AWS::S3::Bucket', 2);
    // The webhook key and the first admin's credentials
    template.resourceCountIs('AWS::SecretsManager::Secret', 2);
    template.resourceCountIs('AWS::Lambda::Function', 8);
    template.resourceCountIs('AWS::CloudFront::Distribution', 1);
    template.resourceCountIs('AWS::StepFunctions::StateMachine', 1);
    template.resourceCountIs('AWS::ApiGateway::RestApi', 1);
    template.resourceCountIs('AWS::Lambda::EventSourceMapping', 3);
  });

  it('keeps the data when the stack is deleted', () => {
    // Assess
    for (const type of ['AWS::DynamoDB::Table', 'AWS::S3::Bucket', 'AWS::SecretsManager::Secret']) {
      template.hasResource(type, { DeletionPolicy: 'Retain' });
    }
  });

  it('applies its props', () => {
    // Assess
    template.hasResourceProperties('AWS::ApiGateway::Stage', { StageName: 'mlflow' });
    template.hasResourceProperties('AWS::S3::Bucket', {
      CorsConfiguration: { CorsRules: [Match.objectLike({ AllowedOrigins: ['https://ml.example.com'] })] },
    });
    template.hasResourceProperties('AWS::SNS::Subscription', { Endpoint: 'ops@example.com' });
  });

  it("outputs the tracking URIs, the UI, the bucket, the table and the first admin's secret", () => {
    // Assess
    const outputs = Object.keys(template.findOutputs('*'));
    for (const name of ['TrackingUri', 'TrackingUriIam', 'UiUrl', 'ArtifactBucketName', 'TableName', 'AdminSecretArn']) {
      expect(outputs.some((id) => id.startsWith(`Cairn${name}`))).toBe(true);
    }
    expect(stack.resolve(cairn.table.tableName)).toEqual({ Ref: expect.stringMatching(/^CairnDataTrackingTable/) });
    expect(stack.resolve(cairn.bucket.bucketName)).toEqual({ Ref: expect.stringMatching(/^CairnDataArtifactsBucket/) });
  });
});
