/** Ports and endpoints of the local DynamoDB engine. */
import { createServer } from 'node:net';

/** A port that was free a moment ago: bind port 0 on the host, read the port, close. */
export async function pickFreePort(host = '127.0.0.1'): Promise<number> {
  return new Promise<number>((resolvePort, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen({ port: 0, host, exclusive: true }, () => {
      const address = server.address();
      if (address === null || typeof address === 'string') {
        server.close();
        reject(new Error('could not determine a free port'));
        return;
      }
      const { port } = address;
      server.close((error) => (error ? reject(error) : resolvePort(port)));
    });
  });
}

export async function assertPortFree(host: string, port: number): Promise<void> {
  await new Promise<void>((resolveFree, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', (error: NodeJS.ErrnoException) => {
      reject(
        error.code === 'EADDRINUSE'
          ? new Error(`cannot start the local DynamoDB engine: port ${port} on ${host} is already in use`)
          : error,
      );
    });
    server.listen({ port, host, exclusive: true }, () => server.close(() => resolveFree()));
  });
}

export function endpointFor(host: string, port: number): string {
  const bracketed = host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
  return `http://${bracketed}:${port}`;
}
