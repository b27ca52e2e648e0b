import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { logicalId, synthesize } from './fixture.js';

describe('REST API', () => {
  // Prepare (shared)
  const { api, apiStack } = synthesize({ stage: 'prod', throttleRateLimit: '200', throttleBurstLimit: 400 });
  const { restApi, apiFunction } = apiStack.service;
  const resources = api.findResources('AWS::ApiGateway::Resource');
  const methods = Object.values(api.findResources('AWS::ApiGateway::Method')).map((m) => m.Properties);
  const rootId = JSON.stringify({ 'Fn::GetAtt': [logicalId(restApi.api), 'RootResourceId'] });

  /** The full path of a resource reference (`/`, `/iam/{proxy+}`...). */
  const pathOf = (ref: unknown): string => {
    if (JSON.stringify(ref) === rootId) return '';
    const id = (ref as { Ref: string }).Ref;
    const resource = resources[id];
    if (!resource) throw new Error(`unknown resource ${id}`);
    return `${pathOf(resource.Properties.ParentId)}/${resource.Properties.PathPart}`;
  };
  const method = (path: string, verb: string) => {
    const found = methods.filter((m) => m.HttpMethod === verb && (pathOf(m.ResourceId) || '/') === path);
    expect(found).toHaveLength(1);
    return found[0];
  };
  const authorizerId = logicalId(restApi.tokenAuthorizer);

  it('routes every MLflow path through the token authorizer: ANY / and ANY /{proxy+}', () => {
    // Assess
    for (const path of ['/', '/{proxy+}']) {
      expect(method(path, 'ANY')).toMatchObject({ AuthorizationType: 'CUSTOM', AuthorizerId: { Ref: authorizerId } });
    }
  });

  it('serves the same routes with SigV4 under /iam: ANY /iam and ANY /iam/{proxy+} with AWS_IAM', () => {
    // Assess
    for (const path of ['/iam', '/iam/{proxy+}']) {
      const found = method(path, 'ANY');
      expect(found).toMatchObject({ AuthorizationType: 'AWS_IAM' });
      expect(found?.AuthorizerId).toBeUndefined();
    }
  });

  it('leaves GET /health and GET /version open, and nothing else', () => {
    // Assess
    expect(method('/health', 'GET')).toMatchObject({ AuthorizationType: 'NONE' });
    expect(method('/version', 'GET')).toMatchObject({ AuthorizationType: 'NONE' });
    expect(methods.filter((m) => m.AuthorizationType === 'NONE')).toHaveLength(2);
    expect(methods).toHaveLength(6);
  });

  it('proxies every method to the API function', () => {
    // Assess
    for (const m of methods) {
      expect(m.Integration).toMatchObject({ Type: 'AWS_PROXY', IntegrationHttpMethod: 'POST' });
      expect(JSON.stringify(m.Integration.Uri)).toContain(logicalId(apiFunction));
    }
  });

  it('is regional and passes every body through as binary', () => {
    // Assess
    api.hasResourceProperties('AWS::ApiGateway::RestApi', {
      BinaryMediaTypes: ['*/*'],
      EndpointConfiguration: { Types: ['REGIONAL'] },
    });
  });

  it('caches the REQUEST authorizer per Authorization header for 5 minutes', () => {
    // Assess
    api.hasResourceProperties('AWS::ApiGateway::Authorizer', {
      Type: 'REQUEST',
      IdentitySource: 'method.request.header.Authorization',
      AuthorizerResultTtlInSeconds: 300,
    });
  });

  it('throttles, traces, logs errors and writes JSON access logs on the stage', () => {
    // Prepare
    const stage = Object.values(api.findResources('AWS::ApiGateway::Stage'))[0]?.Properties;

    // Assess
    expect(stage).toMatchObject({
      StageName: 'prod',
      TracingEnabled: true,
      MethodSettings: [
        expect.objectContaining({
          HttpMethod: '*',
          ResourcePath: '/*',
          ThrottlingRateLimit: 200,
          ThrottlingBurstLimit: 400,
          LoggingLevel: 'ERROR',
          DataTraceEnabled: false,
        }),
      ],
      AccessLogSetting: { DestinationArn: { 'Fn::GetAtt': [logicalId(restApi.accessLogs), 'Arn'] } },
    });
    expect(JSON.parse(stage?.AccessLogSetting.Format)).toMatchObject({
      requestId: '$context.requestId',
      status: '$context.status',
      principalId: '$context.authorizer.principalId',
    });
    api.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 30 });
  });

  it('answers 401 with a Basic challenge, in MLflow error form', () => {
    // Assess
    api.hasResourceProperties('AWS::ApiGateway::GatewayResponse', {
      ResponseType: 'UNAUTHORIZED',
      StatusCode: '401',
      ResponseParameters: { 'gatewayresponse.header.WWW-Authenticate': `'Basic realm="cairn"'` },
      ResponseTemplates: { 'application/json': Match.stringLikeRegexp('"error_code":"UNAUTHENTICATED"') },
    });
  });

  it('lets API Gateway invoke the API function and the authorizer, and nothing else', () => {
    // Assess
    const permissions = Object.values(api.findResources('AWS::Lambda::Permission', { Properties: { Principal: 'apigateway.amazonaws.com' } }));
    expect(permissions).toHaveLength(2);
  });

  it('outputs both tracking URIs, without a trailing slash, and no other API URL', () => {
    // Prepare
    const outputs = api.findOutputs('*');
    const parts = (name: string) => outputs[name]?.Value['Fn::Join'][1] as unknown[];
    const stage = { Ref: logicalId(restApi.api.deploymentStage) };

    // Assess
    const urls = Object.keys(outputs).filter((name) => JSON.stringify(outputs[name]?.Value).includes('://'));
    expect(urls.sort()).toEqual(['TrackingUri', 'TrackingUriIam', 'UiUrl']); // UiUrl: the CloudFront address (ui-distribution.test.ts)
    expect(parts('TrackingUri')).toEqual(['https://', { Ref: logicalId(restApi.api) }, '.execute-api.', { Ref: 'AWS::Region' }, '.', { Ref: 'AWS::URLSuffix' }, '/', stage]);
    expect(parts('TrackingUriIam')).toEqual([...parts('TrackingUri'), '/iam']);
  });
});
