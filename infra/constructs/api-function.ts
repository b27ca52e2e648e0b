import { Duration, Validations } from 'aws-cdk-lib';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { ApplicationLogLevel, Architecture, LoggingFormat, Runtime, SystemLogLevel, Tracing } from 'aws-cdk-lib/aws-lambda';
import { LogLevel, NodejsFunction, OutputFormat, SourceMapMode } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';

/** The newest Node.js runtime aws-cdk-lib knows (cdk-nag's Serverless-LambdaLatestVersion checks exactly this). */
export const LAMBDA_RUNTIME = Runtime.NODEJS_24_X;

/**
 * An ESM bundle has no `require`, but some CommonJS dependencies bundled into it call `require('node:...')`
 * at run time; esbuild's shim then throws "Dynamic require is not supported". Defining `require` up front fixes it.
 */
const REQUIRE_BANNER = "import { createRequire as __cairnCreateRequire } from 'node:module'; const require = __cairnCreateRequire(import.meta.url);";

export interface ApiFunctionProps {
  /** Absolute path of the TypeScript entry; it exports `handler`. */
  readonly entry: string;
  readonly description: string;
  /** POWERTOOLS_SERVICE_NAME: the `service` of every log line, metric and trace segment. */
  readonly serviceName: string;
  /**
   * @default 512
   */
  readonly memorySize?: number;
  /**
   * @default Duration.seconds(29), API Gateway's integration limit
   */
  readonly timeout?: Duration;
  /** Variables on top of the house ones (NODE_OPTIONS, POWERTOOLS_*). Names come from shared/config/env.ts. */
  readonly environment?: Record<string, string>;
  /**
   * @default RetentionDays.ONE_MONTH
   */
  readonly logRetention?: RetentionDays;
  /**
   * Where failed asynchronous invocations go (only functions invoked asynchronously need one).
   * @default - none
   */
  readonly deadLetterQueue?: IQueue;
  /**
   * POWERTOOLS_METRICS_NAMESPACE.
   * @default 'Cairn'
   */
  readonly metricsNamespace?: string;
}

/**
 * A Cairn Lambda with the house defaults: the newest Node.js runtime on ARM64, explicit memory and timeout,
 * X-Ray tracing, JSON logs into its own log group with a retention, and a minified ESM bundle with source maps
 * built locally by esbuild (no Docker), AWS SDK included so the deployed code runs the versions it was tested with.
 *
 * The role carries no managed policy: writing to its own log group is granted on that log group, and the
 * X-Ray actions CDK adds for `Tracing.ACTIVE` are the only wildcard (acknowledged here).
 */
export class ApiFunction extends NodejsFunction {
  constructor(scope: Construct, id: string, props: ApiFunctionProps) {
    const logGroup = new LogGroup(scope, `${id}Logs`, { retention: props.logRetention ?? RetentionDays.ONE_MONTH });
    const role = new Role(scope, `${id}Role`, {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: `Cairn ${props.serviceName}`,
    });
    super(scope, id, {
      entry: props.entry,
      handler: 'handler',
      description: props.description,
      runtime: LAMBDA_RUNTIME,
      architecture: Architecture.ARM_64,
      memorySize: props.memorySize ?? 512,
      timeout: props.timeout ?? Duration.seconds(29),
      tracing: Tracing.ACTIVE,
      role,
      logGroup,
      loggingFormat: LoggingFormat.JSON,
      applicationLogLevelV2: ApplicationLogLevel.INFO,
      systemLogLevelV2: SystemLogLevel.WARN,
      ...(props.deadLetterQueue ? { deadLetterQueue: props.deadLetterQueue } : {}),
      environment: {
        NODE_OPTIONS: '--enable-source-maps',
        POWERTOOLS_SERVICE_NAME: props.serviceName,
        POWERTOOLS_METRICS_NAMESPACE: props.metricsNamespace ?? 'Cairn',
        ...props.environment,
      },
      bundling: {
        format: OutputFormat.ESM,
        target: 'node24',
        mainFields: ['module', 'main'],
        minify: true,
        sourceMap: true,
        sourceMapMode: SourceMapMode.DEFAULT,
        sourcesContent: false,
        banner: REQUIRE_BANNER,
        // Nothing is left to the runtime's copy of the SDK: the bundle pins what the tests ran against
        // (presigning depends on the SDK's checksum defaults, see shared/storage/s3-artifact-store.ts).
        externalModules: [],
        forceDockerBundling: false,
        logLevel: LogLevel.WARNING,
      },
    });
    logGroup.grantWrite(role);
    Validations.of(role).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason: 'xray:PutTraceSegments and xray:PutTelemetryRecords (added by Tracing.ACTIVE) support no resource-level permissions.',
    });
  }
}
