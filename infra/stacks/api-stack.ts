import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { CairnService, type CairnServiceProps } from '../constructs/cairn-service.js';
import { UiDistribution, type UiOptions } from '../constructs/ui-distribution.js';

export interface ApiStackProps extends StackProps, CairnServiceProps, UiOptions {}

/**
 * The stateless stack: functions, REST API, webhook dispatch, the promotion workflow, alarms and the web UI. It receives the table, bucket and
 * webhook key of the DataStack through props; CDK turns them into cross-stack references.
 */
export class ApiStack extends Stack {
  readonly service: CairnService;
  readonly ui: UiDistribution;

  constructor(scope: Construct, id: string, props: ApiStackProps) {
    super(scope, id, props);
    this.service = new CairnService(this, 'Service', props);
    new CfnOutput(this, 'TrackingUri', { value: this.service.trackingUri, description: 'MLFLOW_TRACKING_URI for Basic/Bearer tokens' });
    new CfnOutput(this, 'TrackingUriIam', {
      value: this.service.iamTrackingUri,
      description: 'MLFLOW_TRACKING_URI with MLFLOW_TRACKING_AWS_SIGV4=true',
    });
    this.ui = new UiDistribution(this, 'Ui', { ...props, restApi: this.service.restApi, artifactBucket: props.bucket });
    this.ui.addOutputs(this);
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
