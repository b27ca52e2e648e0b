import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { CairnService, type CairnServiceProps } from '../constructs/cairn-service.js';

export interface ApiStackProps extends StackProps, CairnServiceProps {}

/**
 * The stateless stack: functions, REST API, webhook dispatch, the promotion workflow and alarms. It receives the table, bucket and
 * webhook key of the DataStack through props; CDK turns them into cross-stack references.
 */
export class ApiStack extends Stack {
  readonly service: CairnService;

  constructor(scope: Construct, id: string, props: ApiStackProps) {
    super(scope, id, props);
    this.service = new CairnService(this, 'Service', props);
    new CfnOutput(this, 'TrackingUri', { value: this.service.trackingUri, description: 'MLFLOW_TRACKING_URI for Basic/Bearer tokens' });
    new CfnOutput(this, 'TrackingUriIam', {
      value: this.service.iamTrackingUri,
      description: 'MLFLOW_TRACKING_URI with MLFLOW_TRACKING_AWS_SIGV4=true',
    });
    new CfnOutput(this, 'PromotionStateMachineArn', {
      value: this.service.promotion.stateMachine.stateMachineArn,
      description: 'The state machine that deploys promoted model versions to SageMaker',
    });
    new CfnOutput(this, 'SageMakerExecutionRoleArn', {
      value: this.service.promotion.executionRole.roleArn,
      description: 'The role SageMaker runs deployed models with (the default of deployment policies)',
    });
  }
}
