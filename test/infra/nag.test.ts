import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks, ServerlessChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';
import { describe, expect, it } from 'vitest';
import { Cairn } from '../../infra/constructs/cairn.js';
import { createApp } from '../../infra/create-app.js';
import { TEST_CONTEXT, UI_ASSET_PATH } from './fixture.js';

/** Findings left after acknowledgements, as `rule @ construct path`. */
const findings = (scope: IConstruct) =>
  [new AwsSolutionsChecks(), new ServerlessChecks()].flatMap((pack) =>
    pack.validateScope(scope).violations.flatMap((v) => v.violatingResources.map((r) => `${v.ruleName} @ ${r.constructPath}`)),
  );

describe('cdk-nag (AwsSolutions and Serverless packs)', () => {
  it.each([
    ['defaults', {}],
    ['alarm e-mail, WAF, no data retention, no API Gateway account role', {
      alarmEmail: 'ops@example.com',
      webAclArn: 'arn:aws:wafv2:eu-west-1:123456789012:regional/webacl/cairn/0123',
      retainData: false,
      apiGatewayCloudWatchRole: false,
    }],
    ['an ECR serving image and more SageMaker execution roles', {
      servingImageUri: '123456789012.dkr.ecr.eu-west-1.amazonaws.com/mlflow-pyfunc:2.0.7',
      sagemakerExecutionRoleArns: 'arn:aws:iam::123456789012:role/team-a-sagemaker',
    }],
    ['the UI on a custom domain, with a CloudFront web ACL and every edge location', {
      uiDomainName: 'ml.example.com',
      uiCertificateArn: 'arn:aws:acm:us-east-1:123456789012:certificate/0f0e0d0c-0b0a-0908-0706-050403020100',
      uiWebAclArn: 'arn:aws:wafv2:us-east-1:123456789012:global/webacl/cairn-ui/0123',
      uiPriceClass: 'All',
    }],
    ['another artifact prefix and a serving image outside ECR', {
      artifactPrefix: 'teams/ml',
      servingImageUri: 'ghcr.io/example/mlflow-pyfunc:2.0.7',
    }],
  ])('reports nothing unacknowledged on the app (%s), once synthesized as cdk synth checks it', (_name, settings) => {
    // Prepare
    const { app, dataStack, apiStack } = createApp({ nag: false, context: { ...TEST_CONTEXT, ...settings } });
    Template.fromStack(dataStack);
    Template.fromStack(apiStack);

    // Act
    const violations = findings(app);

    // Assess
    expect(violations).toEqual([]);
  });

  it('reports nothing unacknowledged on the app before synthesis either', () => {
    // Prepare
    const { app } = createApp({ nag: false, context: TEST_CONTEXT });

    // Act & Assess
    expect(findings(app)).toEqual([]);
  });

  it('reports nothing unacknowledged on the Cairn construct in a stack of its own app', () => {
    // Prepare
    const app = new App({ context: TEST_CONTEXT });
    const stack = new Stack(app, 'MyPlatform');
    new Cairn(stack, 'Cairn', { allowedOrigins: ['https://ml.example.com'], uiAssetPath: UI_ASSET_PATH });
    Template.fromStack(stack);

    // Act & Assess
    expect(findings(app)).toEqual([]);
  });
});
