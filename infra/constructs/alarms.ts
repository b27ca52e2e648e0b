import { Duration, Validations } from 'aws-cdk-lib';
import type { RestApi } from 'aws-cdk-lib/aws-apigateway';
import { Alarm, ComparisonOperator, TreatMissingData, type IMetric } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { Topic, type ITopic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import type { IStateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';

export interface CairnAlarmsProps {
  readonly api: RestApi;
  /** Functions whose errors and throttles are watched, by a short name used in construct IDs. */
  readonly functions: Record<string, IFunction>;
  /** The stream consumer: its iterator age says deliveries are falling behind. */
  readonly streamFunction: IFunction;
  readonly deadLetterQueue: IQueue;
  /**
   * Further dead-letter queues, by a short name used in construct IDs (`<name>DeadLetters`).
   * @default - none
   */
  readonly otherDeadLetterQueues?: Record<string, IQueue>;
  /**
   * State machines whose timed-out executions raise an alarm, by a short name used in construct IDs
   * (`<name>ExecutionsTimedOut`). Failed executions do not: a failure is an outcome recorded for the user.
   * @default - none
   */
  readonly stateMachines?: Record<string, IStateMachine>;
  /**
   * p99 latency above this, three periods in a row, raises the latency alarm.
   * @default Duration.seconds(5)
   */
  readonly latencyThreshold?: Duration;
  /**
   * Where alarms (and their recoveries) are sent.
   * @default - a topic is created when `email` is given; otherwise the alarms have no action
   */
  readonly topic?: ITopic;
  /** An address subscribed to a new, KMS-encrypted topic (ignored when `topic` is given). */
  readonly email?: string;
}

const PERIOD = Duration.minutes(5);

/**
 * Alarms on what an operator must act on: API 5xx and p99 latency, Lambda errors and throttles, dispatch falling
 * behind the stream, anything in a dead-letter queue, and state machine executions that timed out. Missing data
 * is "not breaching": a quiet API is fine.
 */
export class CairnAlarms extends Construct {
  readonly alarms: Alarm[] = [];
  readonly topic?: ITopic;

  constructor(scope: Construct, id: string, props: CairnAlarmsProps) {
    super(scope, id);
    this.topic = props.topic ?? (props.email ? this.createTopic(props.email) : undefined);
    const stage = props.api.deploymentStage;

    this.add('Api5xx', stage.metricServerError({ period: PERIOD, statistic: 'Sum' }), 5, 1, 'API Gateway answered 5xx');
    this.add(
      'ApiLatencyP99',
      stage.metricLatency({ period: PERIOD, statistic: 'p99' }),
      (props.latencyThreshold ?? Duration.seconds(5)).toMilliseconds(),
      3,
      'API p99 latency is high',
    );
    for (const [name, fn] of Object.entries(props.functions)) {
      this.add(`${name}Errors`, fn.metricErrors({ period: PERIOD, statistic: 'Sum' }), 1, 1, `${name} function errors`);
      this.add(`${name}Throttles`, fn.metricThrottles({ period: PERIOD, statistic: 'Sum' }), 1, 1, `${name} function throttled`);
    }
    this.add(
      'DispatchIteratorAge',
      props.streamFunction.metric('IteratorAge', { period: PERIOD, statistic: 'Maximum' }),
      Duration.minutes(10).toMilliseconds(),
      1,
      'webhook dispatch is behind the table stream',
    );
    this.add(
      'DeadLetters',
      props.deadLetterQueue.metricApproximateNumberOfMessagesVisible({ period: PERIOD, statistic: 'Maximum' }),
      1,
      1,
      'webhook dispatch failures are waiting in the dead-letter queue',
    );
    for (const [name, queue] of Object.entries(props.otherDeadLetterQueues ?? {})) {
      this.add(
        `${name}DeadLetters`,
        queue.metricApproximateNumberOfMessagesVisible({ period: PERIOD, statistic: 'Maximum' }),
        1,
        1,
        `${name} failures are waiting in a dead-letter queue`,
      );
    }
    for (const [name, stateMachine] of Object.entries(props.stateMachines ?? {})) {
      this.add(
        `${name}ExecutionsTimedOut`,
        stateMachine.metricTimedOut({ period: PERIOD, statistic: 'Sum' }),
        1,
        1,
        `${name} executions timed out`,
      );
    }
  }

  private add(id: string, metric: IMetric, threshold: number, evaluationPeriods: number, description: string): void {
    const alarm = new Alarm(this, id, {
      metric,
      threshold,
      evaluationPeriods,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: TreatMissingData.NOT_BREACHING,
      alarmDescription: `Cairn: ${description}`,
    });
    if (this.topic) {
      alarm.addAlarmAction(new SnsAction(this.topic));
      alarm.addOkAction(new SnsAction(this.topic));
    }
    this.alarms.push(alarm);
  }

  private createTopic(email: string): Topic {
    // CloudWatch can publish to an encrypted topic only with a key whose policy lets it (aws/sns does not).
    const key = new Key(this, 'TopicKey', { description: 'Cairn alarm notifications', enableKeyRotation: true });
    key.grant(new ServicePrincipal('cloudwatch.amazonaws.com'), 'kms:Decrypt', 'kms:GenerateDataKey*');
    const topic = new Topic(this, 'Topic', { displayName: 'Cairn alarms', masterKey: key, enforceSSL: true });
    topic.addSubscription(new EmailSubscription(email));
    Validations.of(topic).acknowledge({
      id: 'Serverless-SNSRedrivePolicy',
      reason: 'An e-mail subscription for people; an undelivered notification leaves the alarm visible in CloudWatch, so no DLQ.',
    });
    return topic;
  }
}
