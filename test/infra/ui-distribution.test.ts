import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../infra/config.js';
import { createApp } from '../../infra/create-app.js';
import { SPA_FALLBACK_CODE } from '../../infra/constructs/ui-edge.js';
import { TEST_CONTEXT, logicalId, synthesize } from './fixture.js';

/** CloudFront's managed policies, by their fixed IDs. */
const CACHING_DISABLED = '4135ea2d-6df8-44a3-9df3-4b5a84be39ad';
const CACHING_OPTIMIZED = '658327ea-f89d-4fab-a63d-7e88639e58f6';
const ALL_VIEWER_EXCEPT_HOST_HEADER = 'b689b0a8-53d0-40ab-baf2-68738e2966ac';

const API_PATHS = ['/api/*', '/ajax-api/*', '/get-artifact*', '/model-versions/get-artifact*', '/health', '/version', '/v1/traces'];

interface Behavior {
  PathPattern?: string;
  TargetOriginId: string;
  ViewerProtocolPolicy: string;
  AllowedMethods?: string[];
  CachePolicyId: string;
  OriginRequestPolicyId?: string;
  ResponseHeadersPolicyId: { Ref: string };
  FunctionAssociations?: { EventType: string; FunctionARN: unknown }[];
}

interface Origin {
  Id: string;
  DomainName: unknown;
  OriginPath?: string;
  OriginAccessControlId?: unknown;
  S3OriginConfig?: unknown;
  CustomOriginConfig?: { OriginProtocolPolicy: string; OriginSSLProtocols: string[] };
}

/** Runs the viewer-request function on a URI, as CloudFront's cloudfront-js-2.0 runtime would. */
const fallback = (uri: string): string => {
  const handler = new Function(`${SPA_FALLBACK_CODE}; return handler;`)() as (event: { request: { uri: string } }) => { uri: string };
  return handler({ request: { uri } }).uri;
};

describe('web UI distribution', () => {
  // Prepare (shared): the app as `cdk synth` builds it, on a stage named prod
  const { api, apiStack } = synthesize({ stage: 'prod' });
  const { distribution, bucket, edge } = apiStack.ui;
  const config = Object.values(api.findResources('AWS::CloudFront::Distribution'))[0]?.Properties.DistributionConfig;
  const origins = config.Origins as Origin[];
  const behaviors = config.CacheBehaviors as Behavior[];
  const originOf = (behavior: Behavior | undefined) => origins.find((origin) => origin.Id === behavior?.TargetOriginId);
  const behavior = (path: string) => behaviors.find((b) => b.PathPattern === path);
  const bucketId = logicalId(bucket);
  const restApiId = logicalId(apiStack.service.restApi.api);
  const policyOf = (ref: { Ref: string }) => api.toJSON().Resources[ref.Ref].Properties.ResponseHeadersPolicyConfig;

  it('is one distribution over HTTP/2 and 3, IPv6, the cheapest price class, index.html at the root', () => {
    // Assess
    api.resourceCountIs('AWS::CloudFront::Distribution', 1);
    expect(config).toMatchObject({
      Enabled: true,
      HttpVersion: 'http2and3',
      IPV6Enabled: true,
      PriceClass: 'PriceClass_100',
      DefaultRootObject: 'index.html',
    });
    expect(origins).toHaveLength(2);
  });

  it('reads the UI bucket through origin access control only, never a public bucket', () => {
    // Prepare
    const site = originOf(config.DefaultCacheBehavior);
    const bucketPolicy = Object.values(api.findResources('AWS::S3::BucketPolicy', { Properties: { Bucket: { Ref: bucketId } } }))[0];
    const statements = bucketPolicy?.Properties.PolicyDocument.Statement as { Effect: string; Principal: unknown; Action: unknown; Condition?: unknown }[];

    // Assess: an OAC signing every request with SigV4, attached to the S3 origin (no legacy OAI)
    api.hasResourceProperties('AWS::CloudFront::OriginAccessControl', {
      OriginAccessControlConfig: { OriginAccessControlOriginType: 's3', SigningBehavior: 'always', SigningProtocol: 'sigv4' },
    });
    expect(site?.DomainName).toEqual({ 'Fn::GetAtt': [bucketId, 'RegionalDomainName'] });
    expect(site?.OriginAccessControlId).toEqual({ 'Fn::GetAtt': [expect.any(String), 'Id'] });
    expect(site?.S3OriginConfig).toEqual({ OriginAccessIdentity: '' });
    // Assess: private, encrypted bucket; reads only by CloudFront for this distribution; TLS only
    api.hasResource('AWS::S3::Bucket', {
      Properties: Match.objectLike({
        PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
        BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] },
        OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] },
      }),
      DeletionPolicy: 'Delete',
    });
    const allows = statements.filter((s) => s.Effect === 'Allow');
    expect(allows).toEqual([
      expect.objectContaining({
        Principal: { Service: 'cloudfront.amazonaws.com' },
        Action: 's3:GetObject',
        Condition: { StringEquals: { 'AWS:SourceArn': expect.anything() } },
      }),
    ]);
    expect(JSON.stringify(allows[0]?.Condition)).toContain(logicalId(distribution));
    expect(statements).toContainEqual(expect.objectContaining({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }));
  });

  it("routes every API path to the stage of the REST API's token tree, uncached, with Authorization passed on", () => {
    // Assess
    for (const path of API_PATHS) {
      const found = behavior(path);
      expect(found, path).toMatchObject({
        ViewerProtocolPolicy: 'https-only',
        AllowedMethods: ['GET', 'HEAD', 'OPTIONS', 'PUT', 'PATCH', 'POST', 'DELETE'],
        CachePolicyId: CACHING_DISABLED,
        OriginRequestPolicyId: ALL_VIEWER_EXCEPT_HOST_HEADER,
        ResponseHeadersPolicyId: { Ref: logicalId(edge.apiHeaders) },
      });
      expect(found?.FunctionAssociations, path).toBeUndefined();
      const origin = originOf(found);
      expect(origin?.OriginPath).toEqual({ 'Fn::Join': ['', ['/', { Ref: logicalId(apiStack.service.restApi.api.deploymentStage) }]] });
      expect(origin?.CustomOriginConfig).toMatchObject({ OriginProtocolPolicy: 'https-only', OriginSSLProtocols: ['TLSv1.2'] });
      expect(JSON.stringify(origin?.DomainName)).toContain(restApiId);
      expect(JSON.stringify(origin?.DomainName)).toContain('.execute-api.');
    }
    expect(behaviors.map((b) => b.PathPattern).sort()).toEqual([...API_PATHS, '/assets/*'].sort());
  });

  it('serves the app from the bucket: history routes fall back to index.html, bundles and API paths do not', () => {
    // Prepare
    const fn = Object.values(api.findResources('AWS::CloudFront::Function'))[0]?.Properties;

    // Assess: the default behaviour runs the fallback before the cache; /assets/* goes straight to the bucket
    expect(config.DefaultCacheBehavior).toMatchObject({
      ViewerProtocolPolicy: 'redirect-to-https',
      CachePolicyId: CACHING_OPTIMIZED,
      Compress: true,
      ResponseHeadersPolicyId: { Ref: logicalId(edge.appHeaders) },
      FunctionAssociations: [{ EventType: 'viewer-request', FunctionARN: { 'Fn::GetAtt': [logicalId(edge.spaFallback), 'FunctionARN'] } }],
    });
    expect(originOf(behavior('/assets/*'))).toBe(originOf(config.DefaultCacheBehavior));
    expect(behavior('/assets/*')?.FunctionAssociations).toBeUndefined();
    expect(fn).toMatchObject({ AutoPublish: true, FunctionCode: SPA_FALLBACK_CODE, FunctionConfig: { Runtime: 'cloudfront-js-2.0' } });
    // Assess: the function's own answers
    expect(fallback('/')).toBe('/index.html');
    expect(fallback('/experiments/1/runs/0a1b2c')).toBe('/index.html');
    expect(fallback('/models/fraud.detector/versions/2')).toBe('/index.html');
    expect(fallback('/assets/index-C70O3p6l.js')).toBe('/assets/index-C70O3p6l.js');
    expect(fallback('/favicon.ico')).toBe('/favicon.ico');
    expect(fallback('/index.html')).toBe('/index.html');
  });

  it('sends security headers: the app may run only its own scripts and be framed by nobody', () => {
    // Prepare
    const app = policyOf({ Ref: logicalId(edge.appHeaders) });
    const parts = app.SecurityHeadersConfig.ContentSecurityPolicy.ContentSecurityPolicy['Fn::Join'][1] as unknown[];
    const csp = parts.map((part) => (typeof part === 'string' ? part : JSON.stringify(part))).join('');

    // Assess
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self';");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("object-src 'none'");
    expect(csp).not.toMatch(/script-src[^;]*unsafe/);
    // the presigned artifact downloads the previews fetch
    expect(csp).toMatch(/connect-src 'self' https:\/\/\{"Fn::ImportValue":"[^"]*RegionalDomainName/);
    expect(app.SecurityHeadersConfig).toMatchObject({
      StrictTransportSecurity: { AccessControlMaxAgeSec: 63072000, IncludeSubdomains: true, Override: true },
      ContentTypeOptions: { Override: true },
      FrameOptions: { FrameOption: 'DENY', Override: true },
      ReferrerPolicy: { ReferrerPolicy: 'strict-origin-when-cross-origin' },
    });
    expect(app.CustomHeadersConfig.Items).toContainEqual({ Header: 'Cache-Control', Value: 'no-cache', Override: true });
    expect(policyOf({ Ref: logicalId(edge.assetHeaders) }).CustomHeadersConfig.Items).toContainEqual({
      Header: 'Cache-Control',
      Value: 'public, max-age=31536000, immutable',
      Override: true,
    });
  });

  it("lets a 401 reach the app as MLflow's JSON, without the Basic challenge that would open the browser's dialog", () => {
    // Prepare
    const apiHeaders = policyOf({ Ref: logicalId(edge.apiHeaders) });

    // Assess
    expect(apiHeaders.RemoveHeadersConfig).toEqual({ Items: [{ Header: 'WWW-Authenticate' }] });
    expect(apiHeaders.SecurityHeadersConfig.ContentSecurityPolicy.ContentSecurityPolicy).toContain('sandbox');
    for (const [type, status, code] of [
      ['UNAUTHORIZED', '401', 'UNAUTHENTICATED'],
      ['ACCESS_DENIED', '403', 'PERMISSION_DENIED'],
    ]) {
      api.hasResourceProperties('AWS::ApiGateway::GatewayResponse', {
        ResponseType: type,
        StatusCode: status,
        ResponseTemplates: { 'application/json': Match.stringLikeRegexp(`"error_code":"${code}","message":`) },
      });
    }
  });

  it('uploads the built UI into the bucket, prunes old files and invalidates the distribution', () => {
    // Assess
    api.hasResourceProperties('Custom::CDKBucketDeployment', {
      DestinationBucketName: { Ref: bucketId },
      DistributionId: { Ref: logicalId(distribution) },
      DistributionPaths: ['/*'],
      Prune: true,
    });
  });

  it('outputs the UI address, and no custom-domain output without a custom domain', () => {
    // Prepare
    const outputs = api.findOutputs('*');

    // Assess
    expect(outputs.UiUrl?.Value).toEqual({ 'Fn::Join': ['', ['https://', { 'Fn::GetAtt': [logicalId(distribution), 'DomainName'] }]] });
    expect(outputs.UiDistributionDomainName).toBeUndefined();
  });

  it('takes a custom domain with its certificate, a CloudFront web ACL and another price class', () => {
    // Prepare
    const certificate = 'arn:aws:acm:us-east-1:123456789012:certificate/0f0e0d0c-0b0a-0908-0706-050403020100';
    const webAcl = 'arn:aws:wafv2:us-east-1:123456789012:global/webacl/cairn-ui/0123';
    const { api: custom } = synthesize({ uiDomainName: 'ml.example.com', uiCertificateArn: certificate, uiWebAclArn: webAcl, uiPriceClass: 'All' });

    // Assess
    custom.hasResourceProperties('AWS::CloudFront::Distribution', {
      DistributionConfig: Match.objectLike({
        Aliases: ['ml.example.com'],
        ViewerCertificate: { AcmCertificateArn: certificate, MinimumProtocolVersion: 'TLSv1.2_2021', SslSupportMethod: 'sni-only' },
        WebACLId: webAcl,
        PriceClass: 'PriceClass_All',
      }),
    });
    const outputs = custom.findOutputs('*');
    expect(outputs.UiUrl?.Value).toBe('https://ml.example.com');
    expect(outputs.UiDistributionDomainName).toBeDefined();
  });

  it('refuses to synthesize without a built UI, saying how to build it', () => {
    // Prepare
    const empty = mkdtempSync(join(tmpdir(), 'cairn-ui-empty-'));

    // Act
    const act = () => createApp({ nag: false, context: { ...TEST_CONTEXT, uiAssetPath: empty } });

    // Assess
    try {
      expect(act).toThrow(/The web UI is not built: .*index\.html is missing\. Run `npm run build:ui`/);
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });

  it('builds the UI first when no built folder is named, and not when one is', () => {
    // Prepare
    const builds: string[] = [];
    const { uiAssetPath: _named, ...withoutFolder } = TEST_CONTEXT;

    // Act
    createApp({ nag: false, context: TEST_CONTEXT, buildUi: () => builds.push('named') });
    const act = () => createApp({ nag: false, context: withoutFolder, buildUi: () => builds.push('default') });

    // Assess: the build runs before the UI folder is read (ui/dist may or may not exist in this work tree)
    try {
      act();
    } catch (error) {
      expect(String(error)).toContain('npm run build:ui');
    }
    expect(builds).toEqual(['default']);
  });

  it('needs a certificate with a custom domain, in us-east-1, and a CLOUDFRONT-scope web ACL', () => {
    // Assess
    expect(() => synthesize({ uiDomainName: 'ml.example.com' })).toThrow(/uiDomainName and uiCertificateArn go together/);
    expect(() => loadConfig((key) => ({ uiCertificateArn: 'arn:aws:acm:eu-west-1:123456789012:certificate/abc' })[key])).toThrow(/uiCertificateArn/);
    expect(() => loadConfig((key) => ({ uiWebAclArn: 'arn:aws:wafv2:eu-west-1:123456789012:regional/webacl/x/1' })[key])).toThrow(/uiWebAclArn/);
    expect(() => loadConfig((key) => ({ uiPriceClass: '300' })[key])).toThrow(/uiPriceClass/);
    expect(loadConfig(() => undefined).uiPriceClass).toBe('100');
  });
});
