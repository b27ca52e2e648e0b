/**
 * Reading a long stretch of an experiment's trace index side by side. DynamoDB serves one query's pages one after
 * another; ranges of request time are separate queries, so they can be read at once. Used where a search must
 * read much of the index: orders other than by time (everything), and sparse filters in time order (in order,
 * a few slices ahead, stopping once the page is settled).
 */
import type { TraceInfo } from '../entities.js';
import type { TraceListQuery, TraceRepository } from '../ports.js';

type Lister = Pick<TraceRepository, 'listByExperiment'>;

const PAGE = 1000;

/**
 * The request times of the oldest and newest info in the query's range, from two one-item queries without its
 * filter (a rare filter would make them scans); undefined when the range holds none.
 */
export const rangeEnds = async (
  traces: Lister,
  experimentId: string,
  query: Pick<TraceListQuery, 'fromTime' | 'toTime'>,
): Promise<{ from: number; to: number } | undefined> => {
  const range = { ...(query.fromTime !== undefined ? { fromTime: query.fromTime } : {}), ...(query.toTime !== undefined ? { toTime: query.toTime } : {}) };
  const [oldest, newest] = await Promise.all(
    (['asc', 'desc'] as const).map(async (order) => (await traces.listByExperiment(experimentId, { ...range, order, limit: 1 })).infos[0]),
  );
  return oldest && newest ? { from: oldest.requestTime, to: newest.requestTime } : undefined;
};

/** [from, to] (ms, inclusive) cut into at most `count` slices of equal time, oldest first. */
export const sliceRange = (from: number, to: number, count: number): { fromTime: number; toTime: number }[] => {
  const span = to - from + 1;
  const n = Math.max(1, Math.min(count, span));
  const edge = (k: number) => from + Math.floor((k * span) / n);
  return Array.from({ length: n }, (_, k) => ({ fromTime: edge(k), toTime: edge(k + 1) - 1 }));
};

/** Every info of one slice, page by page, in the query's order. */
const readSlice = async (
  traces: Lister,
  experimentId: string,
  query: TraceListQuery,
  slice: { fromTime: number; toTime: number },
  consume: (infos: readonly TraceInfo[]) => Promise<void>,
): Promise<void> => {
  let cursor: string | undefined;
  do {
    const { cursor: _previous, ...rest } = query;
    const page = await traces.listByExperiment(experimentId, { ...rest, ...slice, limit: PAGE, ...(cursor ? { cursor } : {}) });
    await consume(page.infos);
    cursor = page.cursor;
  } while (cursor);
};

/** Every info of [from, to] in `count` slices read at once, in no particular order. */
export const readAllSlices = async (
  traces: Lister,
  experimentId: string,
  query: TraceListQuery,
  ends: { from: number; to: number },
  count: number,
  consume: (infos: readonly TraceInfo[]) => Promise<void>,
): Promise<void> => {
  await Promise.all(sliceRange(ends.from, ends.to, count).map((slice) => readSlice(traces, experimentId, query, slice, consume)));
};

/**
 * Reads `slices` in the given order, `window` of them at once, and stops once `settled(done)` holds, `done` being
 * how many slices are read with every slice before them: slices are disjoint in time, so what the unread ones
 * hold sorts after. Answers true when every slice was read.
 */
export const readSlicesInOrder = async (
  traces: Lister,
  experimentId: string,
  query: TraceListQuery,
  slices: readonly { fromTime: number; toTime: number }[],
  window: number,
  consume: (infos: readonly TraceInfo[], slice: number) => Promise<void>,
  settled: (done: number) => boolean,
): Promise<boolean> => {
  const finished = new Array<boolean>(slices.length).fill(false);
  let next = 0;
  let done = 0;
  let stop = false;
  const worker = async () => {
    while (!stop && next < slices.length) {
      const index = next++;
      await readSlice(traces, experimentId, query, slices[index] as { fromTime: number; toTime: number }, (infos) => consume(infos, index));
      finished[index] = true;
      while (done < slices.length && finished[done]) done++;
      if (settled(done)) stop = true;
    }
  };
  await Promise.all(Array.from({ length: Math.min(window, slices.length) }, worker));
  return done === slices.length;
};
