import type { DbContext } from '../db-context.js';

/**
 * DynamoDB calls of trace writes in flight at once, per client. A burst of OTLP exports arrives as many concurrent
 * requests, each writing several traces in parallel: unbounded, their calls would queue for the client's sockets
 * (64, shared/data/dynamo-client.ts) past its connection timeout and fail. Bounded, they wait here instead.
 */
const IN_FLIGHT = 40;

type Limit = <T>(call: () => Promise<T>) => Promise<T>;

const limits = new WeakMap<object, Limit>();

const createLimit = (size: number): Limit => {
  let active = 0;
  const waiting: (() => void)[] = [];
  return async (call) => {
    if (active >= size) await new Promise<void>((resolve) => waiting.push(resolve));
    active++;
    try {
      return await call();
    } finally {
      active--;
      waiting.shift()?.();
    }
  };
};

/** The limit shared by every trace repository on this client. */
export const traceWriteLimit = (db: DbContext): Limit => {
  let limit = limits.get(db.client);
  if (!limit) {
    limit = createLimit(IN_FLIGHT);
    limits.set(db.client, limit);
  }
  return limit;
};
