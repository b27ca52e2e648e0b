/** Test doubles shared by the replay tests: a scripted replay target and fixture builders. */
import { parseFixture, type Fixture } from '../../support/conformance/fixture.js';
import type { ReplayTarget } from '../../support/conformance/replay.js';

export interface Sent {
  method: string;
  url: string;
  contentType: string | null;
  bytes: Uint8Array;
}

/** A target that records every request and answers with the next of `answers`. */
export function scripted(answers: Array<() => Response>): ReplayTarget & { sent: Sent[] } {
  const sent: Sent[] = [];
  return {
    sent,
    async fetch(request) {
      sent.push({
        method: request.method,
        url: request.url,
        contentType: request.headers.get('content-type'),
        bytes: new Uint8Array(await request.arrayBuffer()),
      });
      const answer = answers.shift();
      return answer ? answer() : new Response('no answer left', { status: 500 });
    },
  };
}

export const json = (body: unknown, status = 200, headers: Record<string, string> = {}): (() => Response) => () =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } });

export function fixtureOf(exchanges: unknown[], clientValues: Record<string, number> = {}): Fixture {
  return parseFixture({ format: 'cairn-conformance/1', flow: 'unit', client_values: clientValues, exchanges });
}
