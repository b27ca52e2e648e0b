import { connect } from 'node:net';

/** A request exactly as it goes on the wire: any method, any bytes in the target and in header values. */
export interface WireRequest {
  method: string;
  /** Path and query after the API's base path, already percent-encoded (raw `%FF` sequences allowed). */
  target: string;
  headers: [string, string][];
  body?: Buffer;
}

export interface WireResponse {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
}

export class RequestTimeout extends Error {
  constructor(ms: number) {
    super(`no answer within ${ms} ms`);
  }
}

/**
 * Sends one HTTP/1.1 request over a fresh socket. A raw client, because fetch and node:http refuse to send
 * what a hostile caller sends (control characters in headers, malformed percent-encoding in the path).
 */
export const sendRaw = (baseUrl: string, request: WireRequest, timeoutMs: number): Promise<WireResponse> =>
  new Promise((resolve, reject) => {
    const base = new URL(baseUrl);
    const basePath = base.pathname.replace(/\/$/, '');
    const body = request.body ?? Buffer.alloc(0);
    const lines = [`${request.method} ${basePath}${request.target} HTTP/1.1`, `Host: ${base.host}`];
    for (const [name, value] of request.headers) lines.push(`${name}: ${value}`);
    if (request.body !== undefined) lines.push(`Content-Length: ${body.length}`);
    lines.push('Connection: close', '', '');
    const socket = connect(Number(base.port), base.hostname);
    const chunks: Buffer[] = [];
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new RequestTimeout(timeoutMs));
    }, timeoutMs);
    socket.on('connect', () => {
      socket.write(Buffer.from(lines.join('\r\n'), 'utf8'));
      if (body.length > 0) socket.write(body);
    });
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    // A server may answer and close before the whole body is written (a 413 for a huge body): the answer
    // counts, the write error does not.
    let failure: Error | undefined;
    socket.on('error', (error) => (failure = error));
    socket.on('close', () => {
      clearTimeout(timer);
      if (failure && chunks.length === 0) return reject(failure);
      try {
        resolve(parseResponse(Buffer.concat(chunks)));
      } catch (error) {
        reject(error);
      }
    });
  });

const parseResponse = (raw: Buffer): WireResponse => {
  const end = raw.indexOf('\r\n\r\n');
  if (end < 0) throw new Error(`incomplete HTTP answer (${raw.length} bytes): ${raw.subarray(0, 200).toString('latin1')}`);
  const [statusLine = '', ...headerLines] = raw.subarray(0, end).toString('latin1').split('\r\n');
  const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(statusLine)?.[1]);
  if (!Number.isInteger(status)) throw new Error(`not an HTTP status line: ${statusLine.slice(0, 200)}`);
  const headers: Record<string, string> = {};
  for (const line of headerLines) {
    const colon = line.indexOf(':');
    if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  const rest = raw.subarray(end + 4);
  const body = /chunked/i.test(headers['transfer-encoding'] ?? '') ? dechunk(rest) : rest;
  return { status, headers, body };
};

const dechunk = (data: Buffer): Buffer => {
  const parts: Buffer[] = [];
  let at = 0;
  while (at < data.length) {
    const lineEnd = data.indexOf('\r\n', at);
    if (lineEnd < 0) break;
    const size = parseInt(data.subarray(at, lineEnd).toString('latin1'), 16);
    if (!Number.isFinite(size) || size === 0) break;
    parts.push(data.subarray(lineEnd + 2, lineEnd + 2 + size));
    at = lineEnd + 2 + size + 2;
  }
  return Buffer.concat(parts);
};
