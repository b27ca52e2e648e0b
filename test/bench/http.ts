/**
 * A minimal JSON client for MLflow's REST API over node:http (undici is not installed in this repository).
 *
 * Each workload makes its own client: a new keep-alive `http.Agent`, so every workload starts on fresh
 * connections, and a sequential workload reuses one connection the way the MLflow client's `requests`
 * session does (mlflow/utils/request_utils.py keeps one Session per process). With `fresh`, every request opens
 * its own connection instead (a client without keep-alive), for comparison. `close()` destroys the agent's
 * sockets, which the server's `close()` waits for.
 */
import http from 'node:http';

export const API = '/api/2.0/mlflow';

/** A request that did not answer 200 with a JSON object: the benchmark is functionally broken. */
export class BenchHttpError extends Error {
  constructor(
    readonly method: string,
    readonly path: string,
    readonly status: number,
    readonly body: string,
  ) {
    super(`${method} ${path} answered HTTP ${status}: ${body.length > 500 ? `${body.slice(0, 500)}…` : body}`);
    this.name = 'BenchHttpError';
  }
}

export interface JsonClient {
  post<T = Record<string, unknown>>(path: string, body: unknown): Promise<T>;
  get<T = Record<string, unknown>>(path: string, query: Record<string, string | number | undefined>): Promise<T>;
  /** Sockets the agent opened so far (to show that connections were reused). */
  readonly socketsOpened: number;
  close(): void;
}

export const createJsonClient = (baseUrl: string, options: { connections: number; fresh?: boolean }): JsonClient => {
  const url = new URL(baseUrl);
  // `fresh`: no keep-alive, so every request opens (and closes) its own connection.
  const agent = new http.Agent({ keepAlive: !options.fresh, maxSockets: options.connections, maxFreeSockets: options.connections });
  const seenSockets = new WeakSet<object>();
  let socketsOpened = 0;

  const send = <T>(method: 'GET' | 'POST', path: string, payload: string | undefined): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      const headers: http.OutgoingHttpHeaders = { accept: 'application/json' };
      if (payload !== undefined) {
        headers['content-type'] = 'application/json';
        headers['content-length'] = Buffer.byteLength(payload);
      }
      const request = http.request(
        { agent, host: url.hostname, port: url.port, method, path: `${API}${path}`, headers },
        (response) => {
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('error', reject);
          response.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            if (response.statusCode !== 200) {
              reject(new BenchHttpError(method, path, response.statusCode ?? 0, text));
              return;
            }
            try {
              resolve(JSON.parse(text) as T);
            } catch {
              reject(new BenchHttpError(method, path, 200, `not JSON: ${text}`));
            }
          });
        },
      );
      request.on('socket', (socket) => {
        if (seenSockets.has(socket)) return;
        seenSockets.add(socket);
        socketsOpened++;
      });
      request.on('error', reject);
      request.end(payload);
    });

  return {
    post: (path, body) => send('POST', path, JSON.stringify(body)),
    get: (path, query) => {
      const search = new URLSearchParams();
      for (const [name, value] of Object.entries(query)) if (value !== undefined) search.set(name, String(value));
      return send('GET', `${path}?${search.toString()}`, undefined);
    },
    get socketsOpened() {
      return socketsOpened;
    },
    close: () => agent.destroy(),
  };
};

/** Runs `count` tasks with at most `concurrency` in flight; rejects on the first failure. */
export const runConcurrently = async (
  count: number,
  concurrency: number,
  task: (index: number) => Promise<void>,
): Promise<void> => {
  let next = 0;
  let failed = false;
  const worker = async () => {
    while (!failed && next < count) {
      const index = next++;
      try {
        await task(index);
      } catch (error) {
        failed = true;
        throw error;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
};
