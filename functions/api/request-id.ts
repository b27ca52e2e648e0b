import { randomUUID } from 'node:crypto';
import type { Context } from 'hono';

/**
 * The id of the request being served, for audit entries and logs: API Gateway's (`requestContext.requestId`,
 * which its access logs and the `x-amzn-RequestId` answer header carry too) when the request came through
 * Lambda, else one made here for the request (`npm start`, tests). Never a header the client sent.
 */
const made = new WeakMap<Request, string>();

export const requestIdOf = (c: Context): string => {
  const fromGateway = (c.env as { requestContext?: { requestId?: unknown } } | undefined)?.requestContext?.requestId;
  if (typeof fromGateway === 'string' && fromGateway !== '') return fromGateway;
  let id = made.get(c.req.raw);
  if (id === undefined) {
    id = randomUUID();
    made.set(c.req.raw, id);
  }
  return id;
};
