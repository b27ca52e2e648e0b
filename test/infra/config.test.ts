import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../infra/config.js';

const from = (context: Record<string, unknown>) => (key: string) => context[key];

describe('deployment settings', () => {
  it('defaults to a retained dev stage open to every origin', () => {
    // Act
    const config = loadConfig(from({}));

    // Assess
    expect(config).toMatchObject({
      stage: 'dev',
      allowedOrigins: ['*'],
      retainData: true,
      artifactPrefix: 'mlflow',
      throttleRateLimit: 500,
      throttleBurstLimit: 1000,
      logRetentionDays: 30,
      apiGatewayCloudWatchRole: true,
      defaultPermission: 'NO_PERMISSIONS',
      unmappedPrincipalPermission: 'NO_PERMISSIONS',
      auditRetentionDays: 90,
      adminUsername: 'admin',
    });
    expect(config.alarmEmail).toBeUndefined();
    expect(config.webhookSecretArn).toBeUndefined();
    expect(config.servingImageUri).toBeUndefined();
    expect(config.sagemakerExecutionRoleArns).toBeUndefined();
  });

  it('reads a serving image and SageMaker execution roles, as a list or comma-separated', () => {
    // Prepare
    const image = '123456789012.dkr.ecr.eu-west-1.amazonaws.com/mlflow-pyfunc:2.0.7';
    const roles = ['arn:aws:iam::123456789012:role/a', 'arn:aws:iam::123456789012:role/service-role/b'];

    // Act
    const fromList = loadConfig(from({ servingImageUri: image, sagemakerExecutionRoleArns: roles }));
    const fromText = loadConfig(from({ sagemakerExecutionRoleArns: roles.join(', ') }));

    // Assess
    expect(fromList).toMatchObject({ servingImageUri: image, sagemakerExecutionRoleArns: roles });
    expect(fromText.sagemakerExecutionRoleArns).toEqual(roles);
  });

  it('reads the authorization settings: permissions without a grant or mapping, audit retention, first admin', () => {
    // Act
    const config = loadConfig(
      from({ defaultPermission: 'READ', unmappedPrincipalPermission: 'EDIT', auditRetentionDays: '365', adminUsername: 'ops@example.com' }),
    );

    // Assess
    expect(config).toMatchObject({
      defaultPermission: 'READ',
      unmappedPrincipalPermission: 'EDIT',
      auditRetentionDays: 365,
      adminUsername: 'ops@example.com',
    });
  });

  it('reads the string forms that `cdk -c key=value` passes', () => {
    // Act
    const config = loadConfig(
      from({ allowedOrigins: 'https://a.example.com, https://b.example.com', retainData: 'false', throttleRateLimit: '50', logRetentionDays: '90' }),
    );

    // Assess
    expect(config).toMatchObject({
      allowedOrigins: ['https://a.example.com', 'https://b.example.com'],
      retainData: false,
      throttleRateLimit: 50,
      logRetentionDays: 90,
    });
  });

  it.each([
    [{ stage: 'Prod' }, /stage/],
    [{ allowedOrigins: 'https://a.example.com/path' }, /allowedOrigins/],
    [{ alarmEmail: 'not-an-address' }, /alarmEmail/],
    [{ logRetentionDays: 31 }, /logRetentionDays/],
    [{ retainData: 'yes' }, /retainData/],
    [{ artifactPrefix: '/mlflow/' }, /artifactPrefix/],
    [{ webhookSecretArn: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:partial' }, /webhookSecretArn/],
    [{ servingImageUri: 'mlflow pyfunc' }, /servingImageUri/],
    [{ sagemakerExecutionRoleArns: 'arn:aws:iam::123456789012:user/someone' }, /sagemakerExecutionRoleArns/],
    [{ defaultPermission: 'read' }, /defaultPermission/],
    [{ unmappedPrincipalPermission: 'ADMIN' }, /unmappedPrincipalPermission/],
    [{ auditRetentionDays: '0' }, /auditRetentionDays/],
    [{ adminUsername: 'ad:min' }, /adminUsername/],
  ])('refuses %j, naming the setting', (context, name) => {
    // Act & Assess
    expect(() => loadConfig(from(context))).toThrow(name);
  });
});
