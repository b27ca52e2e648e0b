import { Duration, Names, Stack, Validations } from 'aws-cdk-lib';
import {
  AccessLogFormat,
  AuthorizationType,
  EndpointType,
  IdentitySource,
  LambdaIntegration,
  LogGroupLogDestination,
  MethodLoggingLevel,
  RequestAuthorizer,
  ResponseType,
  RestApi,
  type MethodOptions,
} from 'aws-cdk-lib/aws-apigateway';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { CfnWebACLAssociation } from 'aws-cdk-lib/aws-wafv2';
import { Construct } from 'constructs';

export interface CairnRestApiProps {
  /** The Hono app: every MLflow path. */
  readonly handler: IFunction;
  /** The REQUEST authorizer of Basic and Bearer tokens. */
  readonly authorizer: IFunction;
  /**
   * @default 'api'
   */
  readonly stageName?: string;
  /** Stage-wide throttling: steady requests per second and burst. */
  readonly throttle: { readonly rateLimit: number; readonly burstLimit: number };
  /**
   * @default RetentionDays.ONE_MONTH
   */
  readonly logRetention?: RetentionDays;
  /**
   * Create the account-wide API Gateway CloudWatch role (one per account and region; access and execution logs
   * need it). Turn off when something else already sets it.
   * @default true
   */
  readonly cloudWatchRole?: boolean;
  /**
   * A regional WAFv2 web ACL to associate with the stage.
   * @default - none
   */
  readonly webAclArn?: string;
}

/** How long API Gateway keeps an authorizer's answer for one Authorization header value. */
export const AUTHORIZER_CACHE_TTL = Duration.minutes(5);

/** Errors API Gateway answers itself, in MLflow's `{error_code, message}` shape so the client reports them. */
const mlflowError = (code: string) => ({ 'application/json': `{"error_code":"${code}","message":$context.error.messageString}` });

/** One JSON object per request (Serverless-APIGWStructuredLogging), including who called and how auth went. */
const ACCESS_LOG_FORMAT = AccessLogFormat.custom(
  JSON.stringify({
    requestId: '$context.requestId',
    extendedRequestId: '$context.extendedRequestId',
    requestTime: '$context.requestTime',
    ip: '$context.identity.sourceIp',
    userAgent: '$context.identity.userAgent',
    httpMethod: '$context.httpMethod',
    resourcePath: '$context.resourcePath',
    path: '$context.path',
    protocol: '$context.protocol',
    status: '$context.status',
    responseLength: '$context.responseLength',
    responseLatency: '$context.responseLatency',
    integrationLatency: '$context.integrationLatency',
    integrationStatus: '$context.integrationStatus',
    principalId: '$context.authorizer.principalId',
    authorizerStatus: '$context.authorizer.status',
    authorizerLatency: '$context.authorizer.latency',
    authorizerError: '$context.authorizer.error',
    userArn: '$context.identity.userArn',
    errorMessage: '$context.error.message',
    xrayTraceId: '$context.xrayTraceId',
  }),
);

/**
 * The MLflow REST API on API Gateway REST (v1). REST rather than HTTP API because it is the flavour that offers
 * everything here at once: AWS_IAM (SigV4) and a Lambda REQUEST authorizer on different resources of one API,
 * a gateway response that adds `WWW-Authenticate` to 401s (Basic clients need the challenge; HTTP APIs cannot
 * change authorizer responses), X-Ray tracing, stage-wide throttling and WAF association.
 *
 * Resources:
 *   ANY /, ANY /{proxy+}            token authorizer (Basic or Bearer), results cached per header for 5 minutes
 *   ANY /iam, ANY /iam/{proxy+}     AWS_IAM; the app removes the /iam prefix (functions/api/strip-prefix.ts)
 *   GET /health, GET /version       open, as MLflow's server has them
 * Tracking URIs: `trackingUri` (tokens) and `iamTrackingUri` (MLFLOW_TRACKING_AWS_SIGV4=true).
 */
export class CairnRestApi extends Construct {
  readonly api: RestApi;
  readonly tokenAuthorizer: RequestAuthorizer;
  readonly accessLogs: LogGroup;
  /** `https://<api>.execute-api.<region>.<suffix>/<stage>`, without a trailing slash (the client appends `/api/...`). */
  readonly trackingUri: string;
  /** The same under `/iam`, for SigV4-signing clients. */
  readonly iamTrackingUri: string;
  /** `<api>.execute-api.<region>.<suffix>`: the host a proxy in front of the API (CloudFront) sends requests to. */
  readonly domainName: string;
  /** The stage, first segment of every path on `domainName`. */
  readonly stageName: string;

  constructor(scope: Construct, id: string, props: CairnRestApiProps) {
    super(scope, id);
    const stageName = props.stageName ?? 'api';
    this.accessLogs = new LogGroup(this, 'AccessLogs', { retention: props.logRetention ?? RetentionDays.ONE_MONTH });

    this.api = new RestApi(this, 'Api', {
      // Metrics are per API name: make it unique to this construct so two deployments never share alarms.
      restApiName: Names.uniqueResourceName(this, { maxLength: 64, separator: '-' }),
      description: 'Cairn: MLflow tracking server and model registry',
      endpointConfiguration: { types: [EndpointType.REGIONAL] },
      // Artifact uploads are arbitrary bytes; Lambda receives every body base64-encoded and the app decodes it.
      binaryMediaTypes: ['*/*'],
      cloudWatchRole: props.cloudWatchRole ?? true,
      deployOptions: {
        stageName,
        tracingEnabled: true,
        metricsEnabled: true,
        loggingLevel: MethodLoggingLevel.ERROR,
        dataTraceEnabled: false,
        throttlingRateLimit: props.throttle.rateLimit,
        throttlingBurstLimit: props.throttle.burstLimit,
        accessLogDestination: new LogGroupLogDestination(this.accessLogs),
        accessLogFormat: ACCESS_LOG_FORMAT,
      },
    });

    // RestApi adds an `Endpoint` output ending in '/': the tracking URIs below replace it.
    this.api.node.tryRemoveChild('Endpoint');

    this.tokenAuthorizer = new RequestAuthorizer(this, 'TokenAuthorizer', {
      handler: props.authorizer,
      identitySources: [IdentitySource.header('Authorization')],
      resultsCacheTtl: AUTHORIZER_CACHE_TTL,
    });

    // One invoke permission for the whole API instead of one (or two) per method.
    const integration = new LambdaIntegration(props.handler, { proxy: true, scopePermissionToMethod: false });
    const token: MethodOptions = { authorizer: this.tokenAuthorizer, authorizationType: AuthorizationType.CUSTOM };
    const iam: MethodOptions = { authorizationType: AuthorizationType.IAM };
    const root = this.api.root;
    root.addMethod('ANY', integration, token);
    root.addResource('{proxy+}').addMethod('ANY', integration, token);
    const iamRoot = root.addResource('iam');
    iamRoot.addMethod('ANY', integration, iam);
    iamRoot.addResource('{proxy+}').addMethod('ANY', integration, iam);
    for (const path of ['health', 'version']) {
      const method = root.addResource(path).addMethod('GET', integration, { authorizationType: AuthorizationType.NONE });
      Validations.of(method).acknowledge({
        id: 'AwsSolutions-APIG4',
        reason: `GET /${path} is open on MLflow's server too: load balancers and the client probe it without credentials. It answers a constant and reads no data.`,
      });
    }

    this.api.addGatewayResponse('Unauthorized', {
      type: ResponseType.UNAUTHORIZED,
      statusCode: '401',
      responseHeaders: { 'WWW-Authenticate': `'Basic realm="cairn"'` },
      templates: mlflowError('UNAUTHENTICATED'),
    });
    this.api.addGatewayResponse('AccessDenied', {
      type: ResponseType.ACCESS_DENIED,
      statusCode: '403',
      templates: mlflowError('PERMISSION_DENIED'),
    });
    this.api.addGatewayResponse('Throttled', {
      type: ResponseType.THROTTLED,
      statusCode: '429',
      templates: mlflowError('REQUEST_LIMIT_EXCEEDED'),
    });

    if (props.webAclArn) {
      new CfnWebACLAssociation(this, 'WebAcl', { resourceArn: this.api.deploymentStage.stageArn, webAclArn: props.webAclArn });
    } else {
      Validations.of(this.api.deploymentStage).acknowledge({
        id: 'AwsSolutions-APIG3',
        reason:
          'Every method but /health and /version needs a token or SigV4, and the stage is throttled; a web ACL is an ' +
          'account-level choice with its own cost, so it is opt-in (webAclArn).',
      });
    }

    Validations.of(this.api).acknowledge({
      id: 'AwsSolutions-APIG2',
      reason:
        'Proxy integration: the Lambda validates every request against the zod schema of its MLflow RPC and answers ' +
        'in MLflow error format, which an API Gateway request validator cannot produce.',
    });
    Validations.of(this.api).acknowledge({
      id: 'AwsSolutions-COG4',
      reason:
        'MLflow clients authenticate with Basic/Bearer tokens (Lambda REQUEST authorizer) or SigV4 (AWS_IAM); ' +
        'neither is a Cognito user pool, and the client cannot run a Cognito sign-in.',
    });
    const cloudWatchRole = this.api.node.tryFindChild('CloudWatchRole');
    if (cloudWatchRole) {
      Validations.of(cloudWatchRole).acknowledge({
        id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs]',
        reason:
          "API Gateway's account-level logging role: AWS's managed policy is the documented one for it, and the role " +
          'can only be assumed by apigateway.amazonaws.com.',
      });
    }

    const stage = this.api.deploymentStage;
    this.domainName = `${this.api.restApiId}.execute-api.${Stack.of(this).region}.${Stack.of(this).urlSuffix}`;
    this.stageName = stage.stageName;
    const base = `https://${this.domainName}/${stage.stageName}`;
    this.trackingUri = base;
    this.iamTrackingUri = `${base}/iam`;
  }
}
