import { Duration, Validations } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { FilterCriteria, FilterRule, StartingPosition } from 'aws-cdk-lib/aws-lambda';
import { DynamoEventSource, SqsDlq } from 'aws-cdk-lib/aws-lambda-event-sources';
import { Queue, QueueEncryption, type IQueue } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { TABLE } from '../../shared/data/table-definition.js';
import type { ApiFunction } from './api-function.js';

export interface TableInsertsProps {
  /** The entity type (`_et`), or types, whose new items invoke the function; nothing else written to the table does. */
  readonly entity: string | readonly string[];
  /** Where batches go whose retries are spent. */
  readonly deadLetterQueue: IQueue;
  readonly batchSize: number;
  readonly retryAttempts: number;
  readonly maxRecordAge: Duration;
}

/**
 * Subscribes `fn` to the table stream's INSERTs of one entity type, reporting item failures (the function
 * answers ReportBatchItemFailures) with its failed batches going to a dead-letter queue. The two cdk-nag
 * findings every stream consumer raises are acknowledged here, once.
 */
export const subscribeToInserts = (fn: ApiFunction, table: ITable, props: TableInsertsProps): void => {
  fn.addEventSource(
    new DynamoEventSource(table, {
      startingPosition: StartingPosition.TRIM_HORIZON,
      batchSize: props.batchSize,
      maxBatchingWindow: Duration.seconds(1),
      reportBatchItemFailures: true,
      bisectBatchOnError: false,
      retryAttempts: props.retryAttempts,
      maxRecordAge: props.maxRecordAge,
      parallelizationFactor: 1,
      onFailure: new SqsDlq(props.deadLetterQueue),
      filters: [
        FilterCriteria.filter({
          eventName: FilterRule.isEqual('INSERT'),
          dynamodb: { NewImage: { [TABLE.entityTypeAttribute]: { S: FilterRule.or(...(typeof props.entity === 'string' ? [props.entity] : props.entity)) } } },
        }),
      ],
    }),
  );
  Validations.of(fn).acknowledge({
    id: 'Serverless-LambdaDLQ',
    reason:
      'Invoked synchronously by the stream event source mapping, whose failed batches go to its on-failure ' +
      "destination (a dead-letter queue); a function DLQ only serves asynchronous invocations.",
  });
  if (fn.role) {
    Validations.of(fn.role).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason: 'dynamodb:ListStreams (added by the stream event source) and the X-Ray actions support no resource-level permissions.',
    });
  }
};

/** An encrypted, TLS-only queue (construct id `DeadLetters`) holding what `of` could not process for 14 days. */
export const createDeadLetterQueue = (scope: Construct, of: string): Queue => {
  const queue = new Queue(scope, 'DeadLetters', {
    encryption: QueueEncryption.SQS_MANAGED,
    enforceSSL: true,
    retentionPeriod: Duration.days(14),
  });
  Validations.of(queue).acknowledge({
    id: 'Serverless-SQSRedrivePolicy',
    reason: `This queue is itself the dead-letter queue of ${of}: nothing consumes it, and its depth has an alarm.`,
  });
  return queue;
};

/**
 * A dead-letter queue that only a stream event source mapping sends to (its on-failure destination), which
 * cdk-nag cannot see as a dead-letter queue.
 */
export const createStreamDeadLetterQueue = (scope: Construct, of: string): Queue => {
  const queue = createDeadLetterQueue(scope, of);
  Validations.of(queue).acknowledge({
    id: 'AwsSolutions-SQS3',
    reason:
      `This queue is the on-failure destination of ${of}'s stream event source mapping (a dead-letter queue ` +
      'cdk-nag cannot see as one); a queue of its own behind it would only move the problem.',
  });
  return queue;
};
