import { CfnOutput, Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import { Certificate } from 'aws-cdk-lib/aws-certificatemanager';
import {
  AllowedMethods,
  CachePolicy,
  Distribution,
  FunctionEventType,
  HttpVersion,
  OriginProtocolPolicy,
  OriginRequestPolicy,
  PriceClass,
  SecurityPolicyProtocol,
  ViewerProtocolPolicy,
  type BehaviorOptions,
} from 'aws-cdk-lib/aws-cloudfront';
import { HttpOrigin, S3BucketOrigin } from 'aws-cdk-lib/aws-cloudfront-origins';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import { BucketDeployment, Source } from 'aws-cdk-lib/aws-s3-deployment';
import { Construct } from 'constructs';
import type { CairnRestApi } from './rest-api.js';
import { builtUiFolder } from './ui-assets.js';
import { UiBucket } from './ui-bucket.js';
import { UI_ASSETS_PREFIX, UiEdge } from './ui-edge.js';
import { acknowledgeBucketDeployment } from './ui-nag.js';

/**
 * The paths CloudFront sends to API Gateway's token tree (the browser signs in with a token, never SigV4):
 * MLflow's REST and AJAX APIs, its artifact download routes, and the open probes.
 */
export const UI_API_PATHS = ['/api/*', '/ajax-api/*', '/get-artifact*', '/model-versions/get-artifact*', '/health', '/version', '/v1/traces'] as const;

/** The UI's settings, shared by the Cairn construct, the API stack and the app's context. */
export interface UiOptions {
  /**
   * The built UI: a folder with index.html at its root.
   * @default `ui/dist` at the repository root (`npm run build:ui`)
   */
  readonly uiAssetPath?: string;
  /**
   * A custom domain for the UI (`ml.example.com`); needs `uiCertificateArn`. Point a CNAME or alias at the
   * distribution yourself.
   * @default - the distribution's `*.cloudfront.net` name
   */
  readonly uiDomainName?: string;
  /**
   * An ACM certificate in us-east-1 covering `uiDomainName`.
   * @default - none
   */
  readonly uiCertificateArn?: string;
  /**
   * CloudFront edge locations used.
   * @default PriceClass.PRICE_CLASS_100 (North America and Europe: the cheapest)
   */
  readonly uiPriceClass?: PriceClass;
  /**
   * A WAFv2 web ACL of scope CLOUDFRONT (created in us-east-1) for the distribution.
   * @default - none
   */
  readonly uiWebAclArn?: string;
  /**
   * Where CloudFront writes its standard access logs (a bucket with ACLs enabled, as CloudFront requires).
   * @default - none
   */
  readonly uiAccessLogsBucket?: IBucket;
}

export interface UiDistributionProps extends UiOptions {
  readonly restApi: CairnRestApi;
  /** The artifact bucket: downloads redirect to presigned URLs on it, which the UI may fetch. */
  readonly artifactBucket?: IBucket;
  /** Where the UI bucket's S3 server access logs go. */
  readonly serverAccessLogsBucket?: IBucket;
  /**
   * Retention of the deployment handler's logs.
   * @default RetentionDays.ONE_MONTH
   */
  readonly logRetention?: RetentionDays;
}

/**
 * The web UI in AWS: one CloudFront origin for the app and the API, so the browser stays same-origin (no CORS,
 * the Authorization header goes where the app is).
 *
 *   default, /assets/*   private UI bucket through origin access control; unknown paths answer index.html
 *   UI_API_PATHS         API Gateway's stage, uncached, every viewer header but Host (Authorization included)
 *
 * The built UI is uploaded by a BucketDeployment, which invalidates the distribution on every change.
 */
export class UiDistribution extends Construct {
  readonly bucket: IBucket;
  readonly distribution: Distribution;
  readonly edge: UiEdge;
  readonly deployment: BucketDeployment;
  /** `https://<domain>`: the UI's address, also usable as an MLflow tracking URI for token clients. */
  readonly url: string;
  private readonly customDomain: boolean;

  constructor(scope: Construct, id: string, props: UiDistributionProps) {
    super(scope, id);
    const assets = builtUiFolder(props.uiAssetPath);
    if (!props.uiDomainName !== !props.uiCertificateArn) {
      throw new Error('uiDomainName and uiCertificateArn go together: a custom domain needs its us-east-1 certificate');
    }
    this.bucket = new UiBucket(this, 'Site', {
      ...(props.serverAccessLogsBucket ? { serverAccessLogsBucket: props.serverAccessLogsBucket } : {}),
    }).bucket;
    this.edge = new UiEdge(this, 'Edge', {
      artifactOrigins: props.artifactBucket ? [`https://${props.artifactBucket.bucketRegionalDomainName}`] : [],
    });

    const site = S3BucketOrigin.withOriginAccessControl(this.bucket);
    const app: BehaviorOptions = {
      origin: site,
      viewerProtocolPolicy: ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
      allowedMethods: AllowedMethods.ALLOW_GET_HEAD,
      cachePolicy: CachePolicy.CACHING_OPTIMIZED,
      responseHeadersPolicy: this.edge.appHeaders,
      compress: true,
      functionAssociations: [{ function: this.edge.spaFallback, eventType: FunctionEventType.VIEWER_REQUEST }],
    };
    const bundles: BehaviorOptions = {
      origin: site,
      viewerProtocolPolicy: ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
      allowedMethods: AllowedMethods.ALLOW_GET_HEAD,
      cachePolicy: CachePolicy.CACHING_OPTIMIZED,
      responseHeadersPolicy: this.edge.assetHeaders,
      compress: true,
    };
    const api: BehaviorOptions = {
      // The stage is the origin path: `/api/2.0/...` on the UI's host is `/<stage>/api/2.0/...` on the API's.
      origin: new HttpOrigin(props.restApi.domainName, {
        originPath: `/${props.restApi.stageName}`,
        protocolPolicy: OriginProtocolPolicy.HTTPS_ONLY,
        readTimeout: Duration.seconds(30),
      }),
      // A redirect would turn a POST into a GET: plain HTTP is refused instead.
      viewerProtocolPolicy: ViewerProtocolPolicy.HTTPS_ONLY,
      allowedMethods: AllowedMethods.ALLOW_ALL,
      cachePolicy: CachePolicy.CACHING_DISABLED,
      // With caching disabled, the all-viewer policies are the way to pass Authorization on; Host must be the API's.
      originRequestPolicy: OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER,
      responseHeadersPolicy: this.edge.apiHeaders,
      compress: false,
    };

    this.distribution = new Distribution(this, 'Distribution', {
      comment: 'Cairn: web UI and API',
      defaultRootObject: 'index.html',
      defaultBehavior: app,
      additionalBehaviors: {
        [`${UI_ASSETS_PREFIX}*`]: bundles,
        ...Object.fromEntries(UI_API_PATHS.map((path) => [path, api])),
      },
      httpVersion: HttpVersion.HTTP2_AND_3,
      minimumProtocolVersion: SecurityPolicyProtocol.TLS_V1_2_2021,
      priceClass: props.uiPriceClass ?? PriceClass.PRICE_CLASS_100,
      enableIpv6: true,
      ...(props.uiDomainName && props.uiCertificateArn
        ? {
            domainNames: [props.uiDomainName],
            certificate: Certificate.fromCertificateArn(this, 'Certificate', props.uiCertificateArn),
          }
        : {}),
      ...(props.uiWebAclArn ? { webAclId: props.uiWebAclArn } : {}),
      ...(props.uiAccessLogsBucket ? { enableLogging: true, logBucket: props.uiAccessLogsBucket, logFilePrefix: 'cairn-ui/' } : {}),
    });
    this.customDomain = props.uiDomainName !== undefined;
    this.url = `https://${props.uiDomainName ?? this.distribution.distributionDomainName}`;

    this.deployment = new BucketDeployment(this, 'Deploy', {
      sources: [Source.asset(assets)],
      destinationBucket: this.bucket,
      // Old bundles go; a tab still open on the old version reloads index.html on its next navigation.
      prune: true,
      retainOnDelete: false,
      distribution: this.distribution,
      distributionPaths: ['/*'],
      memoryLimit: 512,
      // Lambda's default log group would keep the deploy logs forever.
      logGroup: new LogGroup(this, 'DeployLogs', { retention: props.logRetention ?? RetentionDays.ONE_MONTH, removalPolicy: RemovalPolicy.DESTROY }),
    });

    this.acknowledge(props);
  }

  /** Outputs `UiUrl` (and the CloudFront name to point a custom domain at) in `scope`. */
  addOutputs(scope: Construct): void {
    new CfnOutput(scope, 'UiUrl', { value: this.url, description: 'The Cairn web UI (sign in with a Cairn token)' });
    if (this.customDomain) {
      new CfnOutput(scope, 'UiDistributionDomainName', {
        value: this.distribution.distributionDomainName,
        description: 'Point the UI domain (CNAME or alias) at this name',
      });
    }
  }

  private acknowledge(props: UiDistributionProps): void {
    acknowledgeBucketDeployment(this.deployment);
    const distribution = this.distribution;
    Validations.of(distribution).acknowledge({
      id: 'AwsSolutions-CFR1',
      reason: 'A team tool used from wherever its users are; every API path needs a token, so there is no region to fence off.',
    });
    if (!props.uiWebAclArn) {
      Validations.of(distribution).acknowledge({
        id: 'AwsSolutions-CFR2',
        reason:
          'The UI is static files and the API needs a token and is throttled at its stage; a web ACL is an ' +
          'account-level choice with its own monthly cost, so it is opt-in (uiWebAclArn).',
      });
    }
    if (!props.uiAccessLogsBucket) {
      Validations.of(distribution).acknowledge({
        id: 'AwsSolutions-CFR3',
        reason:
          "API requests are logged by API Gateway's access logs (who, what, status); the rest is public static files. " +
          'Pass uiAccessLogsBucket to log every CloudFront request too.',
      });
    }
    if (!props.uiDomainName) {
      Validations.of(distribution).acknowledge({
        id: 'AwsSolutions-CFR4',
        reason:
          "Without a custom domain CloudFront serves its *.cloudfront.net certificate, whose security policy can't be " +
          'set; browsers negotiate TLS 1.2+ with it. With uiDomainName the minimum is TLSv1.2_2021.',
      });
    }
  }
}
