import type { CatalogItem } from '../../domain/kernel/catalog.js';
import type { DbContext } from '../db-context.js';
import { batchGet, expression, getItem, queryPages, type Item } from '../dynamo-ops.js';
import { buildCatalog, isCatalogBuilt, type CatalogSource } from './built.js';
import { ENTRY_PROJECTION, entryOfText, fromChangeItem, fromEntryItem, headSeqOf, isHeadItem, type StoredEntry } from './codec.js';
import { MOVE_RETENTION_MS } from './journal.js';
import {
  CATALOG_ENTRY_END,
  CATALOG_ENTRY_PREFIX,
  CATALOG_SHARDS,
  catalogChangeSortKey,
  catalogEntryKey,
  catalogHeadKey,
  catalogPartition,
  type CatalogName,
} from './keys.js';

/**
 * A process's copy of one catalog, kept exact: every read first asks each shard, strongly consistent, for the
 * changes after the last one the copy holds (one query per shard, which also answers the head), then reads the
 * entries those changes wrote (one BatchGetItem). The first read of a shard loads its head, then all its
 * entries, then the changes since that head. So a read holds every change acknowledged before it began, whatever
 * the writers' clocks or latencies; a change that lands while it runs may be in it or not.
 *
 * A shard whose changes have expired since the copy's last read (a process idle for a week) is loaded again.
 */
export interface CatalogState<T> {
  /** Per shard, the last change the entries hold. */
  readonly version: readonly number[];
  /** Per shard, entry key -> item. */
  readonly shards: readonly ReadonlyMap<string, CatalogItem<T>>[];
  /** Moves on whenever any entry changed: derived views may be kept until it does. */
  readonly generation: number;
}

export interface CatalogReader<T> {
  read(): Promise<CatalogState<T>>;
}

export interface CatalogReaderOptions<T> {
  readonly catalog: CatalogName;
  /** The item of a stored value (its catalog's JSON form); throws an internal error when it is not one. */
  readonly decode: (key: string, value: unknown) => T;
  /**
   * Where to split the entry keys (after `E#`) so a shard loads in parallel segments: a few boundaries that fall
   * evenly among the catalog's keys.
   */
  readonly segments?: readonly string[];
  /** Every item the catalog mirrors, to build it from when the table has none yet (built.ts). */
  readonly sources: () => Promise<readonly CatalogSource[]>;
  readonly now?: () => number;
}

const NO_MOVES: readonly never[] = Object.freeze([]);

interface Shard<T> {
  seq: number;
  entries: Map<string, CatalogItem<T>>;
}

export const createCatalogReader = <T>(db: DbContext, options: CatalogReaderOptions<T>): CatalogReader<T> => {
  const { catalog, decode } = options;
  const now = options.now ?? Date.now;
  const shards: (Shard<T> | undefined)[] = Array.from({ length: CATALOG_SHARDS }, () => undefined);
  let generation = 0;

  const itemOf = (shard: number, key: string, entry: StoredEntry): CatalogItem<T> => {
    const value = decode(key, entry.value);
    if (entry.moves.length === 0) return { value, shard, moves: NO_MOVES };
    const since = now() - MOVE_RETENTION_MS;
    return { value, shard, moves: entry.moves.filter((move) => move.at >= since) };
  };

  const load = async (shard: number): Promise<Shard<T>> => {
    const head = headSeqOf(await getItem(db, catalogHeadKey(catalog, shard)));
    const entries = new Map<string, CatalogItem<T>>();
    // The entries' key range in a few segments read at once: a large shard is several 1 MB pages.
    const bounds = [CATALOG_ENTRY_PREFIX, ...(options.segments ?? []).map((b) => CATALOG_ENTRY_PREFIX + b), CATALOG_ENTRY_END];
    await Promise.all(
      bounds.slice(1).map(async (end, i) => {
        for await (const page of queryPages(db, {
          KeyConditionExpression: '#pk = :pk AND #sk BETWEEN :from AND :to',
          ConsistentRead: true,
          ProjectionExpression: ENTRY_PROJECTION.ProjectionExpression,
          ...expression(
            { '#pk': 'pk', ...ENTRY_PROJECTION.ExpressionAttributeNames },
            { ':pk': catalogPartition(catalog, shard), ':from': bounds[i], ':to': end },
          ),
        })) {
          for (const item of page) {
            // BETWEEN includes its upper end: a key equal to a bound is read by the next segment.
            if (item.sk === end && end !== CATALOG_ENTRY_END) continue;
            const { key, entry } = entryOfText(item.sk, item.j);
            entries.set(key, itemOf(shard, key, entry));
          }
        }
      }),
    );
    generation++;
    return { seq: head, entries };
  };

  /**
   * Brings `state` up to the changes the shard holds; false when changes it needs have expired. A query does not
   * read its items at one instant: it may see a change that the head it answers does not count yet, or the other
   * way round. So the copy moves to the last change it read with none missing before it.
   */
  const catchUp = async (shard: number, state: Shard<T>): Promise<boolean> => {
    const changes: { seq: number; keys: string[] }[] = [];
    let head = state.seq;
    for await (const page of queryPages(db, {
      KeyConditionExpression: 'pk = :pk AND sk > :after',
      ConsistentRead: true,
      ...expression({}, { ':pk': catalogPartition(catalog, shard), ':after': catalogChangeSortKey(state.seq) }),
    })) {
      for (const item of page) {
        if (isHeadItem(item)) head = headSeqOf(item);
        else changes.push(fromChangeItem(item));
      }
    }
    let reached = state.seq;
    while (reached - state.seq < changes.length && changes[reached - state.seq]?.seq === reached + 1) reached++;
    if (reached === state.seq) return head <= state.seq;
    const keys = [...new Set(changes.slice(0, reached - state.seq).flatMap((change) => change.keys))];
    const found = await batchGet(db, keys.map((key) => catalogEntryKey(catalog, shard, key)));
    const current = new Map(found.map((item: Item) => {
      const { key, entry } = fromEntryItem(item);
      return [key, entry] as const;
    }));
    for (const key of keys) {
      const entry = current.get(key);
      if (entry) state.entries.set(key, itemOf(shard, key, entry));
      else state.entries.delete(key);
    }
    state.seq = reached;
    generation++;
    return true;
  };

  const refresh = async (shard: number): Promise<void> => {
    const state = shards[shard] ?? (shards[shard] = await load(shard));
    if (!(await catchUp(shard, state))) {
      const fresh = await load(shard);
      shards[shard] = fresh;
      await catchUp(shard, fresh);
    }
  };

  /**
   * One refresh of a shard at a time, and a read never joins a refresh that began before it did (that one may
   * miss a write acknowledged just before the read): it waits for the one running, then shares the next.
   */
  const running: (Promise<void> | undefined)[] = [];
  const queued: (Promise<void> | undefined)[] = [];
  const refreshShard = (shard: number): Promise<void> => {
    const waiting = queued[shard];
    if (waiting) return waiting;
    const start = (): Promise<void> => {
      const run = refresh(shard).finally(() => {
        if (running[shard] === run) running[shard] = undefined;
      });
      running[shard] = run;
      return run;
    };
    const current = running[shard];
    if (!current) return start();
    const next = current
      .catch(() => undefined)
      .then(() => {
        queued[shard] = undefined;
        return start();
      });
    queued[shard] = next;
    return next;
  };

  /** Once per process: the catalog is built (or built now, from the items). */
  let built: Promise<void> | undefined;
  const ensureBuilt = () =>
    (built ??= (async () => {
      if (!(await isCatalogBuilt(db, catalog))) await buildCatalog(db, catalog, await options.sources());
    })().catch((error: unknown) => {
      built = undefined;
      throw error;
    }));

  return {
    async read() {
      await ensureBuilt();
      await Promise.all(Array.from({ length: CATALOG_SHARDS }, (_, shard) => refreshShard(shard)));
      const loaded = shards.map((state) => state ?? { seq: 0, entries: new Map<string, CatalogItem<T>>() });
      return { version: loaded.map((s) => s.seq), shards: loaded.map((s) => s.entries), generation };
    },
  };
};
