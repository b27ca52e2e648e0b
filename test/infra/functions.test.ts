import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { LAMBDA_RUNTIME } from '../../infra/constructs/api-function.js';
import { WEBHOOK_SECRET_ARN_ENV } from '../../infra/constructs/cairn-service.js';
import { ENV } from '../../shared/config/env.js';
import { LOGGED_MODEL_DIRTY_ITEM } from '../../shared/data/logged-models/search-kind.js';
import { RUN_DIRTY_ITEM } from '../../shared/data/runs/search-kind.js';
import { TABLE } from '../../shared/data/table-definition.js';
import { tokenKey } from '../../shared/data/tokens/keys.js';
import { TRACE_DIRTY_ITEM } from '../../shared/data/traces/search-kind.js';
import { userKey } from '../../shared/data/users/keys.js';
import { actionsOf, allActions, logicalId, resourcesOf, statementsFor, statementsOf, synthesize, type Statement } from './fixture.js';

const S3_OBJECT_ACTIONS = /^s3:(GetObject|PutObject|DeleteObject|Abort)/;
const TABLE_WRITES = ['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:BatchWriteItem'];
const STREAM_ONLY = ['dynamodb:DescribeStream', 'dynamodb:ListStreams'];

describe('functions', () => {
  // Prepare (shared)
  const { api, apiStack, dataStack } = synthesize({ artifactPrefix: 'mlflow', unmappedPrincipalPermission: 'READ', auditRetentionDays: '30' });
  const service = apiStack.service;
  const fns = {
    api: service.apiFunction,
    authorizer: service.authorizerFunction,
    stream: service.dispatcher.streamFunction,
    scheduled: service.dispatcher.scheduledFunction,
    deploymentSteps: service.promotion.stepFunction,
    deploymentStarter: service.promotion.starterFunction,
    searchSnapshots: service.searchSnapshots.streamFunction,
  };
  // Resolved where the policies live (after synthesis: the imports of the data stack's exports)
  const streamArn = JSON.stringify(apiStack.resolve(dataStack.table.tableStreamArn));
  const artifactObjects = JSON.stringify(apiStack.resolve(dataStack.bucket.arnForObjects('mlflow/*')));
  const usesStreamArn = (statements: Statement[]) => statements.some((statement) => resourcesOf(statement).includes(streamArn));
  const roleOf = (fn: (typeof fns)[keyof typeof fns]) => {
    if (!fn.role) throw new Error(`${fn.node.path} has no role`);
    return logicalId(fn.role);
  };

  it.each(Object.entries(fns))('runs %s on the newest Node.js runtime, ARM64, traced, with JSON logs in its own group', (_name, fn) => {
    // Assess
    api.hasResourceProperties('AWS::Lambda::Function', {
      FunctionName: Match.absent(),
      Runtime: LAMBDA_RUNTIME.name,
      Architectures: ['arm64'],
      TracingConfig: { Mode: 'Active' },
      MemorySize: Match.anyValue(),
      Timeout: Match.anyValue(),
      LoggingConfig: Match.objectLike({ LogFormat: 'JSON', LogGroup: { Ref: Match.stringLikeRegexp('Logs') } }),
      Environment: { Variables: Match.objectLike({ NODE_OPTIONS: '--enable-source-maps', POWERTOOLS_SERVICE_NAME: Match.anyValue() }) },
      Role: { 'Fn::GetAtt': [roleOf(fn), 'Arn'] },
    });
  });

  it('runs nodejs22.x or newer', () => {
    // Assess
    expect(Number(/^nodejs(\d+)\.x$/.exec(LAMBDA_RUNTIME.name)?.[1])).toBeGreaterThanOrEqual(22);
    // Cairn's functions, and CDK's BucketDeployment handler that uploads the web UI (its runtime is CDK's)
    api.resourceCountIs('AWS::Lambda::Function', Object.keys(fns).length + 1);
  });

  it('gives the API 29 seconds, as much as API Gateway waits', () => {
    // Assess
    api.hasResourceProperties('AWS::Lambda::Function', { Role: { 'Fn::GetAtt': [roleOf(fns.api), 'Arn'] }, Timeout: 29 });
  });

  it('sets the variables the code reads, by their shared names', () => {
    // Prepare
    const variables = (fn: (typeof fns)[keyof typeof fns]) => {
      const resource = api.toJSON().Resources[logicalId(fn)];
      return resource.Properties.Environment.Variables as Record<string, unknown>;
    };

    // Assess
    expect(Object.keys(variables(fns.api))).toEqual(
      expect.arrayContaining([ENV.tableName, ENV.artifactBucket, ENV.artifactPrefix, WEBHOOK_SECRET_ARN_ENV]),
    );
    expect(variables(fns.api)[ENV.artifactPrefix]).toBe('mlflow');
    expect(Object.keys(variables(fns.authorizer))).toContain(ENV.tableName);
    expect(Object.keys(variables(fns.authorizer))).not.toContain(WEBHOOK_SECRET_ARN_ENV);
    for (const fn of [fns.stream, fns.scheduled]) {
      expect(Object.keys(variables(fn))).toEqual(expect.arrayContaining([ENV.tableName, WEBHOOK_SECRET_ARN_ENV]));
    }
    expect(Object.keys(variables(fns.api))).toEqual(expect.arrayContaining([ENV.promotionStateMachineArn, ENV.sagemakerExecutionRoleArn]));
    expect(Object.keys(variables(fns.deploymentSteps))).toEqual(
      expect.arrayContaining([ENV.tableName, ENV.artifactBucket, ENV.artifactPrefix, ENV.sagemakerExecutionRoleArn, ENV.sagemakerAllowedRoleArns]),
    );
    expect(Object.keys(variables(fns.deploymentStarter))).toEqual(expect.arrayContaining([ENV.tableName, ENV.promotionStateMachineArn]));
    for (const fn of [fns.deploymentSteps, fns.deploymentStarter]) {
      expect(Object.keys(variables(fn))).not.toContain(WEBHOOK_SECRET_ARN_ENV);
    }
  });

  it("gives the API authorization's settings and the first admin's secret (by ARN), and no other function", () => {
    // Prepare
    const variables = (fn: (typeof fns)[keyof typeof fns]) =>
      api.toJSON().Resources[logicalId(fn)].Properties.Environment.Variables as Record<string, unknown>;
    const authorizationVariables = [ENV.adminSecretArn, ENV.defaultPermission, ENV.unmappedPrincipalPermission, ENV.auditRetentionDays];

    // Assess
    expect(variables(fns.api)).toMatchObject({
      [ENV.adminSecretArn]: apiStack.resolve(dataStack.adminSecret.secretArn),
      [ENV.defaultPermission]: 'NO_PERMISSIONS',
      [ENV.unmappedPrincipalPermission]: 'READ',
      [ENV.auditRetentionDays]: '30',
    });
    expect(variables(fns.api)).not.toHaveProperty(ENV.adminPassword);
    for (const fn of [fns.authorizer, fns.stream, fns.scheduled, fns.deploymentSteps, fns.deploymentStarter, fns.searchSnapshots]) {
      expect(Object.keys(variables(fn)).filter((name) => authorizationVariables.includes(name as never))).toEqual([]);
    }
  });

  it("lets only the API read the first admin's secret", () => {
    // Prepare
    const adminSecretArn = JSON.stringify(apiStack.resolve(dataStack.adminSecret.secretArn));
    const readers = Object.entries(fns).filter(([, fn]) =>
      statementsFor(statementsOf(api, fn), 'secretsmanager:GetSecretValue').some((statement) => resourcesOf(statement).includes(adminSecretArn)),
    );

    // Assess
    expect(readers.map(([name]) => name)).toEqual(['api']);
  });

  it.each(Object.entries(fns))('attaches no managed policy to the %s role', (_name, fn) => {
    // Prepare
    const role = api.toJSON().Resources[roleOf(fn)];

    // Assess
    expect(role.Type).toBe('AWS::IAM::Role');
    expect(role.Properties.ManagedPolicyArns).toBeUndefined();
    expect(role.Properties.AssumeRolePolicyDocument.Statement).toEqual([
      expect.objectContaining({ Action: 'sts:AssumeRole', Principal: { Service: 'lambda.amazonaws.com' } }),
    ]);
  });

  describe('API role', () => {
    const statements = statementsOf(api, fns.api);

    it('reads and writes the table', () => {
      // Assess
      expect(allActions(statements)).toEqual(expect.arrayContaining(['dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:BatchGetItem', ...TABLE_WRITES]));
    });

    it('has no stream actions and no access to the stream', () => {
      // Assess
      expect(allActions(statements).filter((action) => STREAM_ONLY.includes(action))).toEqual([]);
      expect(usesStreamArn(statements)).toBe(false);
    });

    it('reads, writes, aborts multipart uploads and deletes objects under the artifact prefix only', () => {
      // Prepare
      const objectStatements = statements.filter((statement) => [statement.Action].flat().some((a) => S3_OBJECT_ACTIONS.test(a)));

      // Assess
      expect(allActions(objectStatements)).toEqual(expect.arrayContaining(['s3:GetObject', 's3:PutObject', 's3:Abort*', 's3:DeleteObject*']));
      for (const statement of objectStatements) {
        expect(resourcesOf(statement)).toEqual([artifactObjects]);
      }
    });

    it('lists the bucket only under the artifact prefix', () => {
      // Prepare
      const [listing, ...others] = statementsFor(statements, 's3:ListBucket');

      // Assess
      expect(others).toEqual([]);
      expect(listing?.Condition).toEqual({ StringLike: { 's3:prefix': ['mlflow/*'] } });
      expect(allActions(statements).filter((action) => action.startsWith('s3:List') || action.startsWith('s3:GetBucket'))).toEqual([
        's3:ListBucket',
      ]);
    });

    it('reads the webhook key', () => {
      // Assess
      expect(allActions(statements)).toContain('secretsmanager:GetSecretValue');
    });
  });

  describe('authorizer role', () => {
    const statements = statementsOf(api, fns.authorizer);

    it('reads user and token items alone, one GetItem each: no query, scan, batch or index', () => {
      // Prepare
      const reads = statements.filter((statement) => actionsOf(statement).some((action) => action.startsWith('dynamodb:') && action !== 'dynamodb:UpdateItem'));

      // Assess
      expect(reads).toHaveLength(1);
      expect(reads[0]?.Action).toBe('dynamodb:GetItem');
      expect(resourcesOf(reads[0]!)).toEqual([JSON.stringify(apiStack.resolve(dataStack.table.tableArn))]);
      expect(reads[0]?.Condition).toEqual({ 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': [userKey('*').pk, tokenKey('*').pk] } });
    });

    it('writes nothing but lastUsedAt-style updates of token items', () => {
      // Prepare
      const writes = statements.filter((statement) => [statement.Action].flat().some((action) => TABLE_WRITES.includes(action)));

      // Assess
      expect(writes).toHaveLength(1);
      expect(writes[0]?.Action).toBe('dynamodb:UpdateItem');
      expect(writes[0]?.Condition).toEqual({ 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': [tokenKey('*').pk] } });
    });

    it('touches no bucket, secret, queue or stream', () => {
      // Assess
      expect(allActions(statements).filter((action) => /^(s3|secretsmanager|sqs):/.test(action))).toEqual([]);
      expect(usesStreamArn(statements)).toBe(false);
    });
  });

  describe('dispatcher roles', () => {
    it('let the stream consumer read the stream, the table and the key, and send to the dead-letter queue', () => {
      // Prepare
      const statements = statementsOf(api, fns.stream);

      // Assess
      expect(allActions(statements)).toEqual(expect.arrayContaining(TABLE_WRITES));
      expect(statementsFor(statements, 'dynamodb:DescribeStream').map(resourcesOf)).toEqual([[streamArn]]);
      expect(statementsFor(statements, 'dynamodb:GetShardIterator').some((s) => resourcesOf(s).includes(streamArn))).toBe(true);
      expect(allActions(statements)).toEqual(expect.arrayContaining(['secretsmanager:GetSecretValue', 'sqs:SendMessage']));
    });

    it('let the scheduled dispatcher use the table and the key, but not the stream', () => {
      // Prepare
      const statements = statementsOf(api, fns.scheduled);

      // Assess
      expect(allActions(statements)).toEqual(expect.arrayContaining(['dynamodb:Query', ...TABLE_WRITES, 'secretsmanager:GetSecretValue']));
      expect(usesStreamArn(statements)).toBe(false);
    });

    it('touch no bucket', () => {
      // Assess
      for (const fn of [fns.stream, fns.scheduled]) {
        expect(allActions(statementsOf(api, fn)).filter((action) => action.startsWith('s3:'))).toEqual([]);
      }
    });
  });

  describe('search snapshot role', () => {
    it('lets the rebuild read the stream and use the table, send to its dead-letter queue, and touch no bucket or secret', () => {
      // Prepare
      const statements = statementsOf(api, fns.searchSnapshots);

      // Assess
      expect(statementsFor(statements, 'dynamodb:DescribeStream').map(resourcesOf)).toEqual([[streamArn]]);
      expect(allActions(statements)).toEqual(expect.arrayContaining(['dynamodb:Query', 'dynamodb:BatchGetItem', ...TABLE_WRITES, 'sqs:SendMessage']));
      expect(allActions(statements).filter((action) => /^(s3|secretsmanager|states|sagemaker):/.test(action))).toEqual([]);
      expect(Object.keys(api.toJSON().Resources[logicalId(fns.searchSnapshots)].Properties.Environment.Variables)).toContain(ENV.tableName);
    });

    it('is woken only by new dirty marks, of runs, trace infos and logged models, through one filter on the stream', () => {
      // Prepare
      const mappings = Object.values(api.findResources('AWS::Lambda::EventSourceMapping')).filter(
        (m) => JSON.stringify(m.Properties.FunctionName) === JSON.stringify({ Ref: logicalId(fns.searchSnapshots) }),
      );

      // Act
      const patterns = mappings.flatMap((m) => m.Properties.FilterCriteria.Filters.map((f: { Pattern: string }) => JSON.parse(f.Pattern)));

      // Assess
      expect(mappings).toHaveLength(1);
      expect(patterns).toEqual([{ eventName: ['INSERT'], dynamodb: { NewImage: { [TABLE.entityTypeAttribute]: { S: [RUN_DIRTY_ITEM, TRACE_DIRTY_ITEM, LOGGED_MODEL_DIRTY_ITEM] } } } }]);
    });
  });

  describe('promotion roles (details in promotion-functions.test.ts and promotion-roles.test.ts)', () => {
    it('let the step Lambda read artifacts under the prefix only, and touch no secret, queue or stream', () => {
      // Prepare
      const statements = statementsOf(api, fns.deploymentSteps);

      // Assess
      expect(allActions(statements).filter((action) => action.startsWith('s3:'))).toEqual(['s3:GetObject', 's3:ListBucket']);
      expect(statementsFor(statements, 's3:GetObject').map(resourcesOf)).toEqual([[artifactObjects]]);
      expect(allActions(statements).filter((action) => /^(secretsmanager|sqs|states):/.test(action))).toEqual([]);
      expect(usesStreamArn(statements)).toBe(false);
    });

    it('let the starter read the stream, start executions and send to its dead-letter queue, but touch no bucket or secret', () => {
      // Prepare
      const statements = statementsOf(api, fns.deploymentStarter);

      // Assess
      expect(statementsFor(statements, 'dynamodb:DescribeStream').map(resourcesOf)).toEqual([[streamArn]]);
      expect(allActions(statements)).toEqual(expect.arrayContaining(['states:StartExecution', 'sqs:SendMessage']));
      expect(allActions(statements).filter((action) => /^(s3|secretsmanager|sagemaker):/.test(action))).toEqual([]);
    });
  });
});
