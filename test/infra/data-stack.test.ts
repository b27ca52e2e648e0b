import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { WEBHOOK_SECRET_ARN_ENV } from '../../infra/constructs/cairn-service.js';
import { createTableInput } from '../../shared/data/table-definition.js';
import { artifactBucketCorsRules } from '../../shared/storage/bucket-cors.js';
import { synthesize } from './fixture.js';

const ORIGINS = ['https://ml.example.com', 'https://notebooks.example.com'];

describe('data stack', () => {
  // Prepare (shared): one synthesis for the whole file
  const { data, dataStack } = synthesize({ allowedOrigins: ORIGINS.join(',') });
  const secrets = () => Object.entries(data.findResources('AWS::SecretsManager::Secret'));
  const adminSecretId = () => secrets().find(([, r]) => r.Properties.GenerateSecretString?.GenerateStringKey === 'password')?.[0];
  const adminSecret = () => secrets().find(([id]) => id === adminSecretId())?.[1];
  const webhookKey = () => secrets().find(([id]) => id !== adminSecretId())?.[1];

  describe('tracking table', () => {
    it('has the keys, GSIs and billing mode of createTableInput', () => {
      // Prepare
      const definition = createTableInput('unused');

      // Assess
      data.resourceCountIs('AWS::DynamoDB::Table', 1);
      data.hasResourceProperties('AWS::DynamoDB::Table', {
        BillingMode: 'PAY_PER_REQUEST',
        KeySchema: definition.KeySchema,
        AttributeDefinitions: Match.arrayEquals(definition.AttributeDefinitions ?? []),
        GlobalSecondaryIndexes: definition.GlobalSecondaryIndexes,
      });
    });

    it('has point-in-time recovery, KMS encryption, deletion protection, a NEW_IMAGE stream and TTL on expiresAt', () => {
      // Assess
      data.hasResourceProperties('AWS::DynamoDB::Table', {
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        SSESpecification: { SSEEnabled: true },
        DeletionProtectionEnabled: true,
        StreamSpecification: { StreamViewType: 'NEW_IMAGE' },
        TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
      });
    });

    it('is retained when the stack is deleted or the table replaced', () => {
      // Assess
      data.hasResource('AWS::DynamoDB::Table', { DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
    });
  });

  describe('artifact bucket', () => {
    it('blocks all public access and disables ACLs', () => {
      // Assess
      data.hasResourceProperties('AWS::S3::Bucket', {
        PublicAccessBlockConfiguration: {
          BlockPublicAcls: true,
          BlockPublicPolicy: true,
          IgnorePublicAcls: true,
          RestrictPublicBuckets: true,
        },
        OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] },
      });
    });

    it('denies every request made without TLS', () => {
      // Assess
      data.hasResourceProperties('AWS::S3::BucketPolicy', {
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({
              Effect: 'Deny',
              Action: 's3:*',
              Principal: { AWS: '*' },
              Condition: { Bool: { 'aws:SecureTransport': 'false' } },
            }),
          ]),
        },
      });
    });

    it('is encrypted and versioned', () => {
      // Assess
      data.hasResourceProperties('AWS::S3::Bucket', {
        BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] },
        VersioningConfiguration: { Status: 'Enabled' },
      });
    });

    it('aborts incomplete multipart uploads after a day', () => {
      // Assess
      data.hasResourceProperties('AWS::S3::Bucket', {
        LifecycleConfiguration: {
          Rules: Match.arrayWith([Match.objectLike({ Status: 'Enabled', AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1 } })]),
        },
      });
    });

    it('applies the shared CORS rules for the configured origins', () => {
      // Prepare
      const [rule] = artifactBucketCorsRules(ORIGINS);

      // Assess
      data.hasResourceProperties('AWS::S3::Bucket', {
        CorsConfiguration: {
          CorsRules: [
            {
              AllowedMethods: rule?.AllowedMethods,
              AllowedOrigins: ORIGINS,
              AllowedHeaders: rule?.AllowedHeaders,
              ExposedHeaders: rule?.ExposeHeaders,
              MaxAge: rule?.MaxAgeSeconds,
            },
          ],
        },
      });
    });

    it('is retained when the stack is deleted', () => {
      // Assess
      data.hasResource('AWS::S3::Bucket', { DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
    });
  });

  describe('webhook key', () => {
    it('is generated as 43 characters of the base64 alphabet (32 bytes once decoded)', () => {
      // Prepare: Secrets Manager's generator draws from letters, digits and this punctuation
      const punctuation = '!"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~';
      const generator = webhookKey()?.Properties.GenerateSecretString;

      // Act
      const allowedPunctuation = [...punctuation].filter((c) => !generator.ExcludeCharacters.includes(c)).join('');

      // Assess
      expect(generator).toMatchObject({ PasswordLength: 43, RequireEachIncludedType: false });
      expect(generator.IncludeSpace ?? false).toBe(false);
      for (const exclusion of ['ExcludeUppercase', 'ExcludeLowercase', 'ExcludeNumbers', 'ExcludePunctuation']) {
        expect(generator[exclusion] ?? false).toBe(false);
      }
      expect(allowedPunctuation).toBe('+/');
      expect(Buffer.from('A'.repeat(43), 'base64')).toHaveLength(32);
    });

    it('is retained when the stack is deleted', () => {
      // Assess
      expect(webhookKey()).toMatchObject({ DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
    });
  });

  describe("first admin's secret", () => {
    it('holds the user name and a generated password of 32 letters and digits, as JSON', () => {
      // Prepare
      const generator = adminSecret()?.Properties.GenerateSecretString;

      // Assess
      expect(generator).toMatchObject({
        SecretStringTemplate: JSON.stringify({ username: 'admin' }),
        GenerateStringKey: 'password',
        PasswordLength: 32,
        ExcludePunctuation: true,
        IncludeSpace: false,
      });
      expect(adminSecret()?.Properties.SecretString).toBeUndefined();
    });

    it('is encrypted, retained when the stack is deleted, and named by an output', () => {
      // Assess: Secrets Manager always encrypts, with aws/secretsmanager unless a key is given
      expect(adminSecret()).toMatchObject({ DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
      data.hasOutput('AdminSecretArn', { Value: { Ref: adminSecretId() } });
    });

    it('names the admin the adminUsername setting gives', () => {
      // Act
      const { data: renamed } = synthesize({ adminUsername: 'platform-admin' });

      // Assess
      renamed.hasResourceProperties('AWS::SecretsManager::Secret', {
        GenerateSecretString: Match.objectLike({ SecretStringTemplate: JSON.stringify({ username: 'platform-admin' }) }),
      });
    });
  });

  it('is termination-protected and exports the table and bucket names', () => {
    // Assess
    expect(dataStack.terminationProtection).toBe(true);
    data.hasOutput('TableName', {});
    data.hasOutput('ArtifactBucketName', {});
  });

  it('lets a throw-away stage delete its data with retainData=false', () => {
    // Act
    const { data: throwAway, dataStack: stack } = synthesize({ stage: 'scratch', retainData: 'false' });

    // Assess
    expect(stack.terminationProtection).toBe(false);
    throwAway.hasResource('AWS::DynamoDB::Table', { DeletionPolicy: 'Delete', Properties: Match.objectLike({ DeletionProtectionEnabled: false }) });
    throwAway.hasResource('AWS::S3::Bucket', { DeletionPolicy: 'Delete' });
  });

  it('uses an existing webhook key instead of generating one', () => {
    // Prepare
    const arn = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:cairn-webhook-key-AbCdEf';

    // Act
    const { data: withKey, api } = synthesize({ webhookSecretArn: arn });

    // Assess: only the first admin's secret is generated
    expect(Object.values(withKey.findResources('AWS::SecretsManager::Secret')).map((r) => r.Properties.GenerateSecretString.GenerateStringKey)).toEqual([
      'password',
    ]);
    api.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ [WEBHOOK_SECRET_ARN_ENV]: arn }) },
    });
  });
});
