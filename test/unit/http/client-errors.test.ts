import { connect } from 'node:net';
import type { AddressInfo } from 'node:net';
import { serve, type ServerType } from '@hono/node-server';
import { Hono } from 'hono';
import { afterEach, describe, expect, it } from 'vitest';
import { answerClientErrorsAsJson } from '../../../functions/local/client-errors.js';

let server: ServerType | undefined;
afterEach(async () => {
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  server = undefined;
});

const listen = () =>
  new Promise<number>((resolve) => {
    const app = new Hono().post('/x', (c) => c.json({}));
    server = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 }, () => resolve((server!.address() as AddressInfo).port));
    answerClientErrorsAsJson(server);
  });

/** Sends raw bytes, as no HTTP client would (they refuse control characters in headers), and reads the answer. */
const sendRaw = (port: number, request: string) =>
  new Promise<string>((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => socket.write(request));
    let answer = '';
    socket.on('data', (chunk) => (answer += chunk.toString()));
    socket.on('end', () => resolve(answer));
    socket.on('error', reject);
  });

describe('requests the HTTP parser refuses (npm start)', () => {
  it("answers a control character in Content-Type with MLflow's JSON error form", async () => {
    // Prepare
    const port = await listen();

    // Act
    const answer = await sendRaw(port, 'POST /x HTTP/1.1\r\nHost: a\r\nContent-Type: application/json\x01\r\nContent-Length: 2\r\n\r\n{}');

    // Assess
    const [head, body] = answer.split('\r\n\r\n');
    expect(head).toMatch(/^HTTP\/1\.1 400 /);
    expect(head).toContain('Content-Type: application/json');
    expect(JSON.parse(body ?? '')).toEqual({
      error_code: 'BAD_REQUEST',
      message: expect.stringContaining('Bad Request. The HTTP request could not be read'),
    });
  });
});
