import { Stack, Validations } from 'aws-cdk-lib';
import type { CfnPolicy, IRole } from 'aws-cdk-lib/aws-iam';
import type { BucketDeployment } from 'aws-cdk-lib/aws-s3-deployment';
import type { IConstruct } from 'constructs';
import { flattenReference } from '../nag.js';

const HANDLER = "CDK's BucketDeployment handler (a CloudFormation custom resource that copies the built UI into its bucket on deploy)";

/** The wildcard resources (`.../*`, `*`) in the role's default policy, as cdk-nag names them in its finding IDs. */
const wildcardResources = (role: IRole): string[] => {
  const policy = role.node.tryFindChild('DefaultPolicy')?.node.defaultChild as CfnPolicy | undefined;
  if (!policy) return [];
  const document = Stack.of(role).resolve(policy.policyDocument) as { Statement?: { Resource?: unknown }[] };
  return (document.Statement ?? [])
    .flatMap((statement) => [statement.Resource ?? []].flat())
    .map(flattenReference)
    .filter((resource) => resource === '*' || resource.endsWith('/*'));
};

/**
 * Acknowledges cdk-nag's findings on the BucketDeployment handler, whose code, runtime and grants CDK owns:
 * it runs only while CloudFormation deploys, reads the asset from the CDK assets bucket, writes the UI bucket
 * and invalidates the distribution. Resource wildcards are read from its policy once references resolve
 * (the assets bucket's name depends on the synthesizer), as `acknowledgeWildcardResource` does.
 */
export const acknowledgeBucketDeployment = (deployment: BucketDeployment): void => {
  const role = deployment.handlerRole;
  const handler = role.node.scope as IConstruct;
  const acknowledge = (scope: IConstruct, id: string, reason: string) => Validations.of(scope).acknowledge({ id, reason });

  acknowledge(handler, 'AwsSolutions-L1', `${HANDLER}: CDK chooses and upgrades its runtime with aws-cdk-lib.`);
  acknowledge(handler, 'Serverless-LambdaLatestVersion', `${HANDLER}: CDK chooses and upgrades its runtime with aws-cdk-lib.`);
  acknowledge(handler, 'Serverless-LambdaDLQ', `${HANDLER}: invoked synchronously by CloudFormation, which fails the deploy on error.`);
  acknowledge(handler, 'Serverless-LambdaTracing', `${HANDLER}: runs only during deploys; its logs and the stack events record it.`);
  acknowledge(
    role,
    'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
    `${HANDLER}: CDK attaches the managed policy for its own logs.`,
  );
  const grants: Record<string, string> = {
    's3:GetObject*': 'reads the UI asset zip (grantRead)',
    's3:GetBucket*': 'reads the UI asset and writes the UI bucket (grantRead/grantReadWrite)',
    's3:List*': 'lists the UI bucket to prune old files',
    's3:DeleteObject*': 'prunes files of the previous UI build from the UI bucket',
    's3:Abort*': 'aborts its own multipart uploads to the UI bucket',
  };
  for (const [action, why] of Object.entries(grants)) acknowledge(role, `AwsSolutions-IAM5[Action::${action}]`, `${HANDLER}: ${why}.`);

  const resources = () => {
    for (const resource of wildcardResources(role)) {
      acknowledge(
        role,
        `AwsSolutions-IAM5[Resource::${resource}]`,
        resource === '*'
          ? `${HANDLER}: cloudfront:CreateInvalidation/GetInvalidation, which CDK grants on * to invalidate the UI after a deploy.`
          : `${HANDLER}: objects of the CDK assets bucket (read) and of the UI bucket (write); CDK's grants, limited to those buckets.`,
      );
    }
  };
  resources();
  role.node.addValidation({
    validate: () => {
      resources();
      return [];
    },
  });
};
