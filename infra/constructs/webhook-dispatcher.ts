import { Duration } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { Rule, Schedule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { REGISTRY_EVENT_ENTITY } from '../../shared/data/registry-events/codec.js';
import { ApiFunction } from './api-function.js';
import { acknowledgeIndexes } from './grants.js';
import { createDeadLetterQueue, subscribeToInserts } from './table-inserts.js';

export interface WebhookDispatcherProps {
  /** The tracking table; it must have a stream (TrackingTable's has NEW_IMAGE). */
  readonly table: ITable;
  /** Entries of the two handlers. */
  readonly streamEntry: string;
  readonly scheduledEntry: string;
  /** Variables both functions need (table name, webhook key ARN). */
  readonly environment: Record<string, string>;
  /** The webhook key; both functions read it at cold start. */
  readonly webhookSecret: ISecret;
  /**
   * How often the safety-net run happens.
   * @default Duration.minutes(5)
   */
  readonly schedule?: Duration;
  readonly logRetention?: RetentionDays;
}

/** A delivery makes up to 5 attempts of 10 s with waits up to 60 s (shared/domain/webhooks/retry-policy.ts): ~5 minutes. */
const DISPATCH_TIMEOUT = Duration.minutes(5);

/**
 * Webhook delivery in AWS (functions/webhooks/lambda-dispatch.ts): the table's stream wakes a dispatcher as soon as a
 * registry event commits, and a schedule runs one as a safety net. Both read the event log from the same cursor,
 * so a lost trigger only delays deliveries. Failures land in one encrypted dead-letter queue: stream batches whose
 * retries are spent (the mapping's on-failure destination), and scheduled invocations that failed.
 */
export class WebhookDispatcher extends Construct {
  readonly deadLetterQueue: Queue;
  readonly streamFunction: ApiFunction;
  readonly scheduledFunction: ApiFunction;
  readonly schedule: Rule;

  constructor(scope: Construct, id: string, props: WebhookDispatcherProps) {
    super(scope, id);
    if (!props.table.tableStreamArn) throw new Error('WebhookDispatcher: the table has no stream (import it with tableStreamArn)');

    this.deadLetterQueue = createDeadLetterQueue(this, 'the dispatchers');

    this.streamFunction = new ApiFunction(this, 'StreamHandler', {
      entry: props.streamEntry,
      description: 'Cairn: delivers webhooks when registry events land in the table stream',
      serviceName: 'cairn-webhooks',
      timeout: DISPATCH_TIMEOUT,
      environment: props.environment,
      ...(props.logRetention ? { logRetention: props.logRetention } : {}),
    });
    // Only new registry events wake the dispatcher: metric logging and every other write never invoke it.
    subscribeToInserts(this.streamFunction, props.table, {
      entity: REGISTRY_EVENT_ENTITY,
      deadLetterQueue: this.deadLetterQueue,
      batchSize: 100,
      retryAttempts: 5,
      maxRecordAge: Duration.hours(1),
    });

    this.scheduledFunction = new ApiFunction(this, 'ScheduledHandler', {
      entry: props.scheduledEntry,
      description: 'Cairn: scheduled webhook dispatch, the safety net behind the stream trigger',
      serviceName: 'cairn-webhooks',
      timeout: DISPATCH_TIMEOUT,
      environment: props.environment,
      deadLetterQueue: this.deadLetterQueue,
      ...(props.logRetention ? { logRetention: props.logRetention } : {}),
    });
    this.schedule = new Rule(this, 'Schedule', {
      description: 'Cairn: runs the webhook dispatcher',
      schedule: Schedule.rate(props.schedule ?? Duration.minutes(5)),
      targets: [
        new LambdaFunction(this.scheduledFunction, {
          deadLetterQueue: this.deadLetterQueue,
          retryAttempts: 2,
          maxEventAge: Duration.minutes(10),
        }),
      ],
    });

    for (const fn of [this.streamFunction, this.scheduledFunction]) {
      // Cursor, delivery markers and records are written; the event log and webhooks are read.
      props.table.grantReadWriteData(fn);
      props.webhookSecret.grantRead(fn);
      if (fn.role) acknowledgeIndexes(fn.role, props.table);
    }
  }
}
