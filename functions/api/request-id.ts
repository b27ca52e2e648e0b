import { randomUUID } from 'node:crypto';
import type { Context } from 'hono';

/**
 * The id of the request being served, for audit entries and logs: API Gateway's (`requestContext.requestId`,
 * which its access logs and the `x-amzn-RequestId` answer header carry too) when the request came through
 * Lambda, else one made here for the request (`npm start`, tests). Never a header the client sent.
 */
const made = new WeakMap<Request, string>();

export const requestIdOf = (c: Context): string => {
  type WithRequestId = { requestContext?: { requestId?: unknown } };
  // hono/aws-lambda hands the app the event and its requestContext side by side.
  const env = c.env as (WithRequestId & { event?: WithRequestId }) | undefined;
  const fromGateway = env?.requestContext?.requestId ?? env?.event?.requestContext?.requestId;
  if (typeof fromGateway === 'string' && fromGateway !== '') return fromGateway;
  let id = made.get(c.req.raw);
  if (id === undefined) {
    id = randomUUID();
    made.set(c.req.raw, id);
  }
  return id;
};
