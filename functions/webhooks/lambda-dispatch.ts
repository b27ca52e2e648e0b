import type { DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { REGISTRY_EVENT_ENTITY } from '../../shared/data/registry-events/codec.js';
import { TABLE } from '../../shared/data/table-definition.js';
import type { DispatchSummary, WebhookDispatcher } from '../../shared/domain/webhooks/dispatcher.js';

/**
 * Webhook delivery in AWS. The table's stream wakes the dispatcher as soon as a registry change commits (the
 * event items are written in the change's own transaction), and a schedule runs it as a safety net. Either
 * way the work is the dispatcher's `runOnce()`: it reads the registry-wide event log from its cursor, so a
 * stream batch is only a trigger, and whatever a failed or lost trigger missed is picked up by the next run.
 */

export const isRegistryEventRecord = (record: DynamoDBRecord): boolean =>
  record.dynamodb?.NewImage?.[TABLE.entityTypeAttribute]?.S === REGISTRY_EVENT_ENTITY;

export interface StreamDispatchOptions {
  readonly logError?: (error: unknown) => void;
  /**
   * The dispatcher reads the log from gsi1, which can lag the stream by a moment: when a run ends with the
   * cursor still before the batch's newest event, it runs again after `catchUpDelayMs`, up to
   * `catchUpAttempts` runs in all (defaults 4 and 500 ms), then reports the batch as failed.
   */
  readonly catchUpAttempts?: number;
  readonly catchUpDelayMs?: number;
  readonly sleep?: (ms: number) => Promise<void>;
}

/**
 * The DynamoDB Streams handler (ReportBatchItemFailures on). A batch without registry events is
 * acknowledged untouched. Otherwise a failed run (it threw, stalled on an event, or never caught up) reports
 * the batch's first registry event record: Lambda checkpoints before that sequence number and retries from
 * it, then sends the batch to the on-failure destination once its retries are spent. Records before it are
 * acknowledged, since nothing was asked of them.
 */
export const createStreamDispatch = (dispatcher: Pick<WebhookDispatcher, 'runOnce'>, options: StreamDispatchOptions = {}) => {
  const logError = options.logError ?? ((error: unknown) => console.error('cairn: webhook dispatch failed', error));
  const attempts = Math.max(1, options.catchUpAttempts ?? 4);
  const delayMs = options.catchUpDelayMs ?? 500;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));

  return async (event: DynamoDBStreamEvent): Promise<DynamoDBBatchResponse> => {
    const records = event.Records.filter(isRegistryEventRecord);
    const first = records[0];
    if (!first) return { batchItemFailures: [] };
    const positions = records.flatMap((r) => r.dynamodb?.NewImage?.logPosition?.S ?? []);
    const newest = positions.reduce<string | undefined>((max, p) => (max === undefined || p > max ? p : max), undefined);

    const failed = (): DynamoDBBatchResponse => {
      const sequenceNumber = first.dynamodb?.SequenceNumber;
      // Without a sequence number there is nothing to report; throwing retries the whole batch instead.
      if (!sequenceNumber) throw new Error('webhook dispatch failed, and the stream record has no sequence number');
      return { batchItemFailures: [{ itemIdentifier: sequenceNumber }] };
    };

    for (let attempt = 1; ; attempt++) {
      let summary: DispatchSummary;
      try {
        summary = await dispatcher.runOnce();
      } catch (error) {
        logError(error);
        return failed();
      }
      if (summary.stalled) return failed(); // the dispatcher has logged why
      if (newest === undefined || (summary.cursor !== undefined && summary.cursor >= newest)) return { batchItemFailures: [] };
      if (attempt >= attempts) {
        logError(new Error(`webhook dispatch: cursor ${summary.cursor ?? '(none)'} has not reached event ${newest} yet`));
        return failed();
      }
      await sleep(delayMs);
    }
  };
};

/**
 * The scheduled (EventBridge) handler: one run. A run that throws or stalls fails the invocation, so it
 * shows in the function's Errors metric (and alarms); the next scheduled run starts again from the cursor.
 */
export const createScheduledDispatch =
  (dispatcher: Pick<WebhookDispatcher, 'runOnce'>) =>
  async (): Promise<DispatchSummary> => {
    const summary = await dispatcher.runOnce();
    if (summary.stalled) throw new Error(`webhook dispatch stalled at cursor ${summary.cursor ?? '(none)'}`);
    return summary;
  };
