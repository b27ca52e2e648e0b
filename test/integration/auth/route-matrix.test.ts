/**
 * Issue 13's full matrix: every row of the decision table x {anonymous, unknown user, NO_PERMISSIONS granted,
 * a user who manages only other resources, reader, editor, manager, admin}, against the app with authorization
 * on (real table, real Basic credentials). Each route gets a world of its own (an experiment with a run, an
 * artifact and a logged model; a registered model with a version and an alias; a deployment or a signed URL
 * where the route takes one), and a request a client would send about it, built from the route's own fields
 * (test/fuzz/routes.ts). What must happen is derived from the row and the caller's grant, never listed per route.
 *
 * Callers go least privileged first: a caller the row refuses must find the world as it was made, and the first
 * caller it lets through may change it (delete, rename), after which only callers it lets through follow.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROUTE_POLICY } from '../../../functions/api/authorization/route-policy.js';
import { routeId, ROUTES } from '../../fuzz/routes.js';
import { CALLERS, decisionOf, startMatrixServer, WORLD_GRANTS, type CallerName, type MatrixServer } from './matrix-server.js';
import { expectedDecision, makeShared, makeWorld, requestFor, type Shared } from './matrix-world.js';

const ROWS = Object.entries(ROUTE_POLICY);
const routeOf = (key: string) => ROUTES.find((route) => routeId(route) === key);

/** Signed-in callers that are users (each may name herself in a `username` field). */
const USERS = CALLERS.filter((caller): caller is Exclude<CallerName, 'anonymous' | 'unknown' | 'admin'> => caller in WORLD_GRANTS || caller === 'other');

describe('the authorization matrix: every route x every kind of caller (dynoxide)', () => {
  let server: MatrixServer;
  let shared: Shared;
  beforeAll(async () => {
    server = await startMatrixServer('dynoxide');
    shared = await makeShared(server);
  });
  afterAll(() => server?.stop());

  it('has a request for every row: each row is a route of the fuzzer\'s table of fields', () => {
    // Act
    const without = ROWS.map(([key]) => key).filter((key) => !routeOf(key));

    // Assess
    expect(without).toEqual([]);
  });

  it.each(ROWS)('%s', async (key, requirement) => {
    // Prepare
    const route = routeOf(key)!;
    const world = await makeWorld(server, { deployment: key.includes('/deployments/'), signedUrl: key.startsWith('ALL /_cairn/') });
    const request = requestFor(route, world, shared, world.subject);

    // Act
    const observed: string[] = [];
    for (const caller of CALLERS) {
      const answer = await server.send(caller, request);
      observed.push(`${caller}: ${decisionOf(answer)}`);
    }
    const selves: string[] = [];
    if (requirement.kind === 'self-or-admin') {
      for (const caller of USERS) selves.push(`${caller} naming herself: ${decisionOf(await server.send(caller, requestFor(route, world, shared, caller)))}`);
    }

    // Assess
    expect(observed).toEqual(CALLERS.map((caller) => `${caller}: ${expectedDecision(requirement, caller)}`));
    expect(selves).toEqual(requirement.kind === 'self-or-admin' ? USERS.map((caller) => `${caller} naming herself: ${expectedDecision(requirement, 'self')}`) : []);
  });
});
