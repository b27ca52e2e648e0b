/**
 * Bounded concurrency for the importer: a pool that works through a stream with at most `limit` items in
 * flight, and a limiter shared by every writer so the store never sees more than a fixed number of writes.
 */

/**
 * Runs `work` on every item of `items`, at most `limit` at once, reading the stream only as fast as work
 * finishes (a source may list millions). The first failure stops the reading; work in flight finishes (so a
 * half-written item is not left mid-write without reason), then the failure is thrown.
 */
export const forEachConcurrently = async <T>(
  items: AsyncIterable<T> | Iterable<T>,
  limit: number,
  work: (item: T) => Promise<void>,
): Promise<void> => {
  const running = new Set<Promise<void>>();
  let failure: { error: unknown } | undefined;
  for await (const item of items) {
    const task: Promise<void> = work(item)
      .catch((error: unknown) => {
        failure ??= { error };
      })
      .finally(() => running.delete(task));
    running.add(task);
    if (running.size >= Math.max(1, limit)) await Promise.race(running);
    if (failure) break;
  }
  await Promise.all(running);
  if (failure) throw failure.error;
};

export interface Limiter {
  run<T>(work: () => Promise<T>): Promise<T>;
}

/** At most `limit` calls of `run` in progress; the others wait in order, each taking the slot a finished one hands over. */
export const createLimiter = (limit: number): Limiter => {
  let active = 0;
  const waiting: (() => void)[] = [];
  return {
    async run(work) {
      if (active >= Math.max(1, limit)) await new Promise<void>((resolve) => waiting.push(resolve));
      else active++;
      try {
        return await work();
      } finally {
        const next = waiting.shift();
        if (next) next();
        else active--;
      }
    },
  };
};
