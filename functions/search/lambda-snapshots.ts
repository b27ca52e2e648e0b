import type { DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import type { DbContext } from '../../shared/data/db-context.js';
import { RUN_DIRTY_ITEM } from '../../shared/data/runs/dirty-marks.js';
import { compactIfDue, type CompactionResult } from '../../shared/data/runs/snapshot-compactor.js';
import { SNAPSHOT_DUE_AT_DIRTY_RUNS } from '../../shared/data/runs/summary-index.js';
import { TABLE } from '../../shared/data/table-definition.js';

const experimentOf = (record: DynamoDBRecord): string | undefined => {
  const image = record.dynamodb?.NewImage;
  return image?.[TABLE.entityTypeAttribute]?.S === RUN_DIRTY_ITEM ? image.experimentId?.S : undefined;
};

export interface SnapshotStreamOptions {
  readonly logError?: (error: unknown) => void;
  readonly logCompaction?: (experimentId: string, result: CompactionResult) => void;
  /** @default SNAPSHOT_DUE_AT_DIRTY_RUNS */
  readonly dueAt?: number;
}

/**
 * Keeps search snapshots current in AWS. The stream delivers the INSERT of each dirty mark (a run's first
 * change since the last rebuild; later changes of a marked run replace the mark and are not delivered), so
 * a batch names the experiments whose dirty set grew. Each is rebuilt when due (compactIfDue): without a
 * snapshot yet, or with enough dirty runs. A failed experiment reports its first record, so Lambda retries
 * from there; a lost trigger only leaves more dirty runs for searches to re-read, never a wrong answer.
 */
export const createSnapshotStreamHandler = (db: DbContext, options: SnapshotStreamOptions = {}) => {
  const logError = options.logError ?? ((error: unknown) => console.error('cairn: search snapshot rebuild failed', error));
  return async (event: DynamoDBStreamEvent): Promise<DynamoDBBatchResponse> => {
    const firstRecord = new Map<string, DynamoDBRecord>();
    for (const record of event.Records) {
      const experimentId = experimentOf(record);
      if (experimentId !== undefined && !firstRecord.has(experimentId)) firstRecord.set(experimentId, record);
    }
    const failed: DynamoDBRecord[] = [];
    for (const [experimentId, record] of firstRecord) {
      try {
        const result = await compactIfDue(db, experimentId, options.dueAt ?? SNAPSHOT_DUE_AT_DIRTY_RUNS);
        if (result) options.logCompaction?.(experimentId, result);
      } catch (error) {
        logError(error);
        failed.push(record);
      }
    }
    // Lambda retries from the earliest failed sequence number: report the first in stream order.
    const earliest = failed.map((r) => r.dynamodb?.SequenceNumber ?? '').sort((a, b) => (BigInt(a || '0') < BigInt(b || '0') ? -1 : 1))[0];
    if (failed.length > 0 && !earliest) throw new Error('search snapshot rebuild failed, and the stream record has no sequence number');
    return { batchItemFailures: earliest ? [{ itemIdentifier: earliest }] : [] };
  };
};
