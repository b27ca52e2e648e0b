import { createServer, request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';

/**
 * A DynamoDB endpoint in front of the engine that holds each TransactWriteItems request `delay.ms` before
 * passing it on: a write whose items are stamped long before they land, slower than any look-back window.
 * The engine cannot be told to be slow, so the delay sits on the wire, whatever path the SDK call takes.
 */
export const slowWire = async (endpoint: string) => {
  const delay = { ms: 0 };
  const target = new URL(endpoint);
  const proxy = createServer((incoming, outgoing) => {
    const chunks: Buffer[] = [];
    incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
    incoming.on('end', async () => {
      if (String(incoming.headers['x-amz-target']).endsWith('.TransactWriteItems') && delay.ms > 0) await sleep(delay.ms);
      const forwarded = httpRequest(
        { host: target.hostname, port: target.port, method: incoming.method, path: incoming.url, headers: incoming.headers },
        (answer) => {
          outgoing.writeHead(answer.statusCode ?? 500, answer.headers);
          answer.pipe(outgoing);
        },
      );
      forwarded.end(Buffer.concat(chunks));
    });
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  const { port } = proxy.address() as AddressInfo;
  return { endpoint: `http://127.0.0.1:${port}`, delay, close: () => proxy.close() };
};
