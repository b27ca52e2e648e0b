import type { DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import type { DbContext } from '../../shared/data/db-context.js';
import { LOGGED_MODEL_SNAPSHOT_KIND } from '../../shared/data/logged-models/search-kind.js';
import { RUN_SNAPSHOT_KIND } from '../../shared/data/runs/search-kind.js';
import type { SnapshotKind } from '../../shared/data/snapshots/kind.js';
import { compactIfDue, type CompactionResult } from '../../shared/data/snapshots/snapshot-compactor.js';
import { TABLE } from '../../shared/data/table-definition.js';
import { TRACE_SNAPSHOT_KIND } from '../../shared/data/traces/search-kind.js';

/** Every kind with search snapshots, by the entity type of its dirty marks (what the event filter lets through). */
const KINDS: ReadonlyMap<string, SnapshotKind<unknown>> = new Map(
  ([RUN_SNAPSHOT_KIND, TRACE_SNAPSHOT_KIND, LOGGED_MODEL_SNAPSHOT_KIND] as SnapshotKind<unknown>[]).map((kind) => [kind.markEntity, kind]),
);
export const SNAPSHOT_MARK_ENTITIES: readonly string[] = [...KINDS.keys()];

/** The kind of mark a record inserts and its experiment; undefined for anything else. */
const markOf = (record: DynamoDBRecord): { entity: string; kind: SnapshotKind<unknown>; experimentId: string } | undefined => {
  const image = record.dynamodb?.NewImage;
  const entity = image?.[TABLE.entityTypeAttribute]?.S;
  const experimentId = image?.experimentId?.S;
  const kind = entity === undefined ? undefined : KINDS.get(entity);
  if (experimentId === undefined || entity === undefined || !kind) return undefined;
  return { entity, kind, experimentId };
};

export interface SnapshotStreamOptions {
  readonly logError?: (error: unknown) => void;
  /** `entity` is the mark's entity type: which kind of snapshot (runs, traces) was rebuilt. */
  readonly logCompaction?: (experimentId: string, result: CompactionResult, entity: string) => void;
  /** For every kind (tests); @default each kind's own dueAtDirty (runs 200, traces 1,000) */
  readonly dueAt?: number;
}

/**
 * Keeps search snapshots current in AWS, of runs, trace infos and logged models. The stream delivers the INSERT of each
 * dirty mark (an entity's first change since the last rebuild; later changes of a marked entity replace the
 * mark and are not delivered), so a batch names the experiments whose dirty set grew, per kind. Each is
 * rebuilt when due (compactIfDue): without a snapshot yet, or with enough dirty entities. A failed experiment reports its first record, so Lambda retries
 * from there; a lost trigger only leaves more dirty runs for searches to re-read, never a wrong answer.
 */
export const createSnapshotStreamHandler = (db: DbContext, options: SnapshotStreamOptions = {}) => {
  const logError = options.logError ?? ((error: unknown) => console.error('cairn: search snapshot rebuild failed', error));
  return async (event: DynamoDBStreamEvent): Promise<DynamoDBBatchResponse> => {
    // One rebuild per kind and experiment, in the order of their first records.
    const firstRecord = new Map<string, { entity: string; kind: SnapshotKind<unknown>; experimentId: string; record: DynamoDBRecord }>();
    for (const record of event.Records) {
      const mark = markOf(record);
      const key = mark && `${mark.entity}/${mark.experimentId}`;
      if (mark && key && !firstRecord.has(key)) firstRecord.set(key, { ...mark, record });
    }
    const failed: DynamoDBRecord[] = [];
    for (const { entity, kind, experimentId, record } of firstRecord.values()) {
      try {
        const result = await compactIfDue(db, kind, experimentId, options.dueAt ?? kind.dueAtDirty);
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
