import type { DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import type { DbContext } from '../../shared/data/db-context.js';
import { RUN_DIRTY_ITEM } from '../../shared/data/runs/dirty-marks.js';
import { compactIfDue, type CompactionResult } from '../../shared/data/runs/snapshot-compactor.js';
import { SNAPSHOT_DUE_AT_DIRTY_RUNS } from '../../shared/data/runs/summary-index.js';
import { compactIfDue as compactKindIfDue, type CompactionResult as KindCompactionResult } from '../../shared/data/snapshots/snapshot-compactor.js';
import { TABLE } from '../../shared/data/table-definition.js';
import { TRACE_DIRTY_ITEM, TRACE_SNAPSHOT_KIND } from '../../shared/data/traces/search-kind.js';

/** `dueAt`: the caller's threshold, or undefined for the kind's own. */
type Rebuild = (db: DbContext, experimentId: string, dueAt: number | undefined) => Promise<CompactionResult | KindCompactionResult | undefined>;

/** The entity types of dirty marks (what the event filter lets through), and how each kind's snapshot is rebuilt. */
export const SNAPSHOT_MARK_ENTITIES = [RUN_DIRTY_ITEM, TRACE_DIRTY_ITEM] as const;
const REBUILDS: Readonly<Record<(typeof SNAPSHOT_MARK_ENTITIES)[number], Rebuild>> = {
  [RUN_DIRTY_ITEM]: (db, experimentId, dueAt) => compactIfDue(db, experimentId, dueAt ?? SNAPSHOT_DUE_AT_DIRTY_RUNS),
  [TRACE_DIRTY_ITEM]: (db, experimentId, dueAt) => compactKindIfDue(db, TRACE_SNAPSHOT_KIND, experimentId, dueAt ?? TRACE_SNAPSHOT_KIND.dueAtDirty),
};

/** The kind of mark a record inserts and its experiment; undefined for anything else. */
const markOf = (record: DynamoDBRecord): { entity: keyof typeof REBUILDS; experimentId: string } | undefined => {
  const image = record.dynamodb?.NewImage;
  const entity = image?.[TABLE.entityTypeAttribute]?.S;
  const experimentId = image?.experimentId?.S;
  if (experimentId === undefined || !SNAPSHOT_MARK_ENTITIES.some((known) => known === entity)) return undefined;
  return { entity: entity as keyof typeof REBUILDS, experimentId };
};

export interface SnapshotStreamOptions {
  readonly logError?: (error: unknown) => void;
  /** `entity` is the mark's entity type: which kind of snapshot (runs, traces) was rebuilt. */
  readonly logCompaction?: (experimentId: string, result: CompactionResult | KindCompactionResult, entity: string) => void;
  /** For every kind (tests); @default each kind's own (runs: SNAPSHOT_DUE_AT_DIRTY_RUNS, traces: 1,000) */
  readonly dueAt?: number;
}

/**
 * Keeps search snapshots current in AWS, of runs and of trace infos. The stream delivers the INSERT of each
 * dirty mark (an entity's first change since the last rebuild; later changes of a marked entity replace the
 * mark and are not delivered), so a batch names the experiments whose dirty set grew, per kind. Each is rebuilt when due (compactIfDue): without a
 * snapshot yet, or with enough dirty runs. A failed experiment reports its first record, so Lambda retries
 * from there; a lost trigger only leaves more dirty runs for searches to re-read, never a wrong answer.
 */
export const createSnapshotStreamHandler = (db: DbContext, options: SnapshotStreamOptions = {}) => {
  const logError = options.logError ?? ((error: unknown) => console.error('cairn: search snapshot rebuild failed', error));
  return async (event: DynamoDBStreamEvent): Promise<DynamoDBBatchResponse> => {
    // One rebuild per kind and experiment, in the order of their first records.
    const firstRecord = new Map<string, { entity: keyof typeof REBUILDS; experimentId: string; record: DynamoDBRecord }>();
    for (const record of event.Records) {
      const mark = markOf(record);
      const key = mark && `${mark.entity}/${mark.experimentId}`;
      if (mark && key && !firstRecord.has(key)) firstRecord.set(key, { ...mark, record });
    }
    const failed: DynamoDBRecord[] = [];
    for (const { entity, experimentId, record } of firstRecord.values()) {
      try {
        const result = await REBUILDS[entity](db, experimentId, options.dueAt);
        if (result) options.logCompaction?.(experimentId, result, entity);
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
