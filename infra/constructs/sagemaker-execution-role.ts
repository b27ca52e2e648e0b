import { ArnFormat, Stack, Token, Validations } from 'aws-cdk-lib';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import type { Construct } from 'constructs';
import { acknowledgeWildcardResource } from '../nag.js';
import { grantArtifactRead } from './grants.js';
import { SAGEMAKER_RESOURCE_PREFIX } from './promotion-definition.js';

export interface SageMakerExecutionRoleProps {
  /** The artifact bucket: SageMaker downloads model files from it. */
  readonly bucket: IBucket;
  /** Key prefix of artifacts in the bucket; the role reads nothing outside it. */
  readonly artifactPrefix: string;
  /**
   * The default serving image. When it is an ECR image (`<account>.dkr.ecr.<region>.amazonaws.com/<repo>:<tag>`),
   * the role pulls from that repository only.
   * @default - images of any repository in this account and region
   */
  readonly servingImageUri?: string;
}

/** `<account>.dkr.ecr[-fips].<region>.amazonaws.com[.cn]/<repository>[:<tag>][@<digest>]` */
const ECR_IMAGE = /^(\d{12})\.dkr\.ecr(?:-fips)?\.([a-z0-9-]+)\.amazonaws\.com(?:\.cn)?\/([a-z0-9][a-z0-9._/-]*?)(?::[\w][\w.-]{0,127})?(?:@sha256:[0-9a-f]{64})?$/;

/** The repository of an ECR image URI, or undefined for other registries (and unresolved tokens). */
export const ecrRepositoryOf = (imageUri: string | undefined): { account: string; region: string; repository: string } | undefined => {
  if (imageUri === undefined || Token.isUnresolved(imageUri)) return undefined;
  const match = ECR_IMAGE.exec(imageUri);
  return match ? { account: match[1] as string, region: match[2] as string, repository: match[3] as string } : undefined;
};

/**
 * The role SageMaker assumes to run a deployed model (CreateModel's ExecutionRoleArn): it downloads the model's
 * files from under the artifact prefix, pulls the serving image, writes the endpoint's logs and metrics, and reads
 * the auto-rollback alarms of blue/green updates.
 * Nothing else: the model's code runs with these permissions, so it gets no table, no bucket writes, no API.
 */
export class SageMakerExecutionRole extends Role {
  constructor(scope: Construct, id: string, props: SageMakerExecutionRoleProps) {
    super(scope, id, {
      assumedBy: new ServicePrincipal('sagemaker.amazonaws.com'),
      description: 'Cairn: SageMaker models deployed by promotions (model files, serving image, endpoint logs)',
    });
    const stack = Stack.of(this);

    // Model files: `<prefix>/*` only (grantArtifactRead explains why not bucket.grantRead).
    grantArtifactRead(props.bucket, this, props.artifactPrefix);
    acknowledgeWildcardResource(
      this,
      props.bucket.bucketArn,
      `/${props.artifactPrefix}/*`,
      'SageMaker downloads a model version\'s files, whose paths the clients chose, from under the artifact prefix only.',
    );

    // The serving image.
    const ecr = ecrRepositoryOf(props.servingImageUri);
    const repositoryArn = ecr
      ? stack.formatArn({ service: 'ecr', account: ecr.account, region: ecr.region, resource: 'repository', resourceName: ecr.repository })
      : stack.formatArn({ service: 'ecr', resource: 'repository', resourceName: '*' });
    this.addToPrincipalPolicy(
      new PolicyStatement({
        actions: ['ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer', 'ecr:BatchCheckLayerAvailability'],
        resources: [repositoryArn],
      }),
    );
    if (!ecr) {
      acknowledgeWildcardResource(
        this,
        repositoryArn,
        '',
        'No ECR serving image is configured, so a deployment policy names its image: pulls are limited to repositories of this account and region.',
      );
    }
    this.addToPrincipalPolicy(new PolicyStatement({ actions: ['ecr:GetAuthorizationToken'], resources: ['*'] }));

    // The endpoint's container logs: /aws/sagemaker/Endpoints/<endpoint name>, and endpoint names start with the prefix.
    const logGroupArn = stack.formatArn({
      service: 'logs',
      resource: 'log-group',
      resourceName: `/aws/sagemaker/Endpoints/${SAGEMAKER_RESOURCE_PREFIX}*`,
      arnFormat: ArnFormat.COLON_RESOURCE_NAME,
    });
    const logStreamArn = `${logGroupArn}:log-stream:*`;
    this.addToPrincipalPolicy(
      new PolicyStatement({
        actions: ['logs:CreateLogGroup', 'logs:CreateLogStream', 'logs:DescribeLogStreams', 'logs:PutLogEvents'],
        resources: [logGroupArn, logStreamArn],
      }),
    );
    for (const arn of [logGroupArn, logStreamArn]) {
      acknowledgeWildcardResource(
        this,
        arn,
        '',
        "SageMaker names an endpoint's log group after the endpoint and its streams after the instances; Cairn's endpoints all start with its prefix.",
      );
    }

    // Endpoint metrics, in SageMaker's namespace only.
    this.addToPrincipalPolicy(
      new PolicyStatement({
        actions: ['cloudwatch:PutMetricData'],
        resources: ['*'],
        conditions: { StringEquals: { 'cloudwatch:namespace': '/aws/sagemaker/Endpoints' } },
      }),
    );

    // Blue/green updates with auto-rollback: SageMaker reads the alarms a deployment policy names with this role
    // (https://docs.aws.amazon.com/sagemaker/latest/dg/deployment-guardrails-configuration.html). The names are the
    // user's, so any alarm of the account and region; reading an alarm's state discloses nothing else.
    const alarms = stack.formatArn({ service: 'cloudwatch', resource: 'alarm', resourceName: '*', arnFormat: ArnFormat.COLON_RESOURCE_NAME });
    this.addToPrincipalPolicy(new PolicyStatement({ actions: ['cloudwatch:DescribeAlarms'], resources: [alarms] }));
    acknowledgeWildcardResource(
      this,
      alarms,
      '',
      "Auto-rollback alarms are named by the user's deployment policies; DescribeAlarms only reads their configuration and state.",
    );

    Validations.of(this).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'ecr:GetAuthorizationToken and cloudwatch:PutMetricData support no resource-level permissions; ' +
        'PutMetricData is limited to the /aws/sagemaker/Endpoints namespace by condition.',
    });
  }
}
