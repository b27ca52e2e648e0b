/**
 * Bounded parallelism for the REST source: one limiter caps the requests in flight against the server,
 * whoever issues them (several listings the importer runs at once, a directory walk, version look-ups).
 */

export interface Limiter {
  /** Runs `task` when a slot is free; the slot is held until the task settles. */
  run<T>(task: () => Promise<T>): Promise<T>;
  /** Takes a slot (for a caller that releases it itself, e.g. once a download's headers arrive). */
  acquire(): Promise<void>;
  release(): void;
}

export const createLimiter = (max: number): Limiter => {
  if (!Number.isSafeInteger(max) || max < 1) throw new RangeError(`concurrency must be a positive integer, got ${max}`);
  let active = 0;
  const waiting: (() => void)[] = [];
  const acquire = (): Promise<void> => {
    if (active < max) {
      active += 1;
      return Promise.resolve();
    }
    return new Promise<void>((resolve) => waiting.push(resolve));
  };
  // A freed slot goes straight to the next waiter, so a burst of newcomers cannot starve it.
  const release = (): void => {
    const next = waiting.shift();
    if (next) next();
    else active -= 1;
  };
  return {
    acquire,
    release,
    async run(task) {
      await acquire();
      try {
        return await task();
      } finally {
        release();
      }
    },
  };
};

/** A promise whose rejection is observed now (so an abandoned prefetch never becomes an unhandled rejection). */
export const prefetch = <T>(promise: Promise<T>): Promise<T> => {
  promise.catch(() => undefined);
  return promise;
};

export interface Page<T> {
  readonly items: readonly T[];
  readonly nextPageToken?: string;
}

/**
 * Follows page tokens, asking for the next page while the current one is consumed. A token the server
 * already gave is an error (a loop), never an endless import.
 */
export async function* pages<T>(fetchPage: (token: string | undefined) => Promise<Page<T>>, what: string): AsyncGenerator<readonly T[]> {
  const seen = new Set<string>();
  let next = prefetch(fetchPage(undefined));
  for (;;) {
    const page = await next;
    const token = page.nextPageToken || undefined;
    if (token !== undefined) {
      if (seen.has(token)) throw new Error(`${what}: the server gave the same page token twice (${token}); stopping rather than looping`);
      seen.add(token);
      next = prefetch(fetchPage(token));
    }
    yield page.items;
    if (token === undefined) return;
  }
}

/**
 * Walks a tree whose directories are listed by `list`, up to `concurrency` listings at once, yielding
 * every leaf as soon as its directory is read (order is not kept).
 */
export async function* walkTree<E>(
  list: (dir: string) => Promise<readonly E[]>,
  childDirectory: (entry: E) => string | undefined,
  concurrency: number,
): AsyncGenerator<E> {
  type Settled = { id: number; entries?: readonly E[]; failed?: true; error?: unknown };
  const pending: string[] = [''];
  const visited = new Set<string>(['']);
  const inFlight = new Map<number, Promise<Settled>>();
  let nextId = 0;
  while (pending.length > 0 || inFlight.size > 0) {
    while (pending.length > 0 && inFlight.size < concurrency) {
      const dir = pending.shift() as string;
      const id = nextId++;
      // Settled promises never reject, so listings left running when the consumer stops are harmless.
      inFlight.set(id, list(dir).then((entries) => ({ id, entries }), (error: unknown) => ({ id, failed: true as const, error })));
    }
    const settled = await Promise.race(inFlight.values());
    inFlight.delete(settled.id);
    if (settled.failed) throw settled.error;
    for (const entry of settled.entries ?? []) {
      const dir = childDirectory(entry);
      if (dir === undefined) yield entry;
      else if (!visited.has(dir)) {
        visited.add(dir);
        pending.push(dir);
      }
    }
  }
}
