import type { DbContext } from '../db-context.js';
import type { Key } from '../dynamo-ops.js';

/**
 * What the search snapshot machinery (this folder) needs to know about one kind of entity held per experiment:
 * runs for search-runs, trace infos for search-traces. Everything else (dirty marks, the snapshot's head and
 * parts, the index a search reads, the compactor) is the same for every kind; shared/data/README.md, "Search
 * runs and how it scales", explains why it is exact.
 *
 * Contract, for the index to see every acknowledged write:
 * - every write that changes what a search sees of an entity puts its dirty mark (markKey) with a fresh token,
 *   in the write's own transaction, or, for a write that cannot be one, after the write and before it is
 *   acknowledged (the compactor clears a mark only if its token is unchanged, so a later mark survives);
 * - `reread` reads the entity strongly consistent, and answers undefined when it no longer exists (or no
 *   longer belongs to the experiment): the mark of a deleted entity removes it;
 * - `readAll` may lag (an index): it is only the way in for an experiment without a snapshot, and every write
 *   it may miss has a mark.
 */
export interface SnapshotKind<T> {
  /** In messages: 'run', 'trace'. */
  readonly name: string;
  /** Entity types (`_et`) of the kind's items: the stream consumer subscribes to `markEntity` INSERTs. */
  readonly markEntity: string;
  readonly headEntity: string;
  readonly partEntity: string;
  /** Mark partitions per experiment (a busy experiment's marks spread over several partitions). */
  readonly markShards: number;
  readonly markPartition: (experimentId: string, shard: number) => string;
  /** The mark of one entity; its sort key must be the entity's id (marks are read back by partition). */
  readonly markKey: (experimentId: string, id: string) => Key;
  /** The attribute naming the entity on a mark item, beside `experimentId` (what a stream record shows). */
  readonly markIdAttribute: string;
  readonly headKey: (experimentId: string) => Key;
  readonly partKey: (experimentId: string, segment: number, build: string, part: number) => Key;
  /**
   * Dirty entities from which a rebuild is due (the stream consumer's and the local feed's threshold, and when a
   * search asks for one): each costs every process that has not read it one read per search, a rebuild rewrites
   * the segments holding them. Runs: 200; trace infos, re-read 100 per BatchGetItem and mostly new (spread over
   * every segment), 1,000.
   */
  readonly dueAtDirty: number;
  /** Bumped when the entity's stored shape changes: a head of another format is ignored and rebuilt. */
  readonly format: number;
  readonly idOf: (entity: T) => string;
  readonly reread: (db: DbContext, experimentId: string, id: string) => Promise<T | undefined>;
  /**
   * `reread` of many at once (e.g. one BatchGetItem per 100, strongly consistent), when the kind's entity is
   * one item; the ids it leaves out are gone. At most 100 ids a call.
   */
  readonly rereadMany?: (db: DbContext, experimentId: string, ids: readonly string[]) => Promise<Map<string, T>>;
  readonly readAll: (db: DbContext, experimentId: string) => Promise<Map<string, T>>;
  /** Restores what V8 serialization does not keep (null-prototype records); identity when nothing is lost. */
  readonly revive: (entity: T) => T;
  /** Heap bytes one held entity costs, about (measured by the kind's bench): what the memory budget counts. @default 1024 */
  readonly heldBytes?: number;
}

/** One entity of a snapshot or an index, with the dirty-mark token it was read at (none: read from the snapshot's way in). */
export interface SnapshotEntry<T> {
  readonly entity: T;
  readonly token?: string;
}
