import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedDelivery {
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
  /** The X-MLflow-Signature header checked the way a receiver would, written here independently of Cairn. */
  readonly signatureValid: boolean;
  readonly receivedAt: number;
}

export interface ScriptedResponse {
  status: number;
  headers?: Record<string, string>;
  body?: string;
}

export interface WebhookReceiver {
  readonly url: string;
  readonly received: ReceivedDelivery[];
  /** Answers these, in order, then 200 "ok" to everything. */
  respondWith(...responses: ScriptedResponse[]): void;
  close(): Promise<void>;
}

const expectedSignature = (secret: string, deliveryId: string, timestamp: string, body: string) =>
  `v1,${createHmac('sha256', secret).update(`${deliveryId}.${timestamp}.${body}`).digest('base64')}`;

const sameText = (a: string, b: string) => a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));

/** A webhook receiver on 127.0.0.1 (an ephemeral port) that verifies MLflow's signature with `secret`. */
export const startWebhookReceiver = async (secret?: string): Promise<WebhookReceiver> => {
  const received: ReceivedDelivery[] = [];
  const script: ScriptedResponse[] = [];
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const header = (name: string) => String(request.headers[name] ?? '');
      const signatureValid =
        secret !== undefined &&
        sameText(header('x-mlflow-signature'), expectedSignature(secret, header('x-mlflow-delivery-id'), header('x-mlflow-timestamp'), body));
      received.push({ headers: request.headers, body, signatureValid, receivedAt: Date.now() });
      const next = script.shift() ?? { status: 200, body: 'ok' };
      response.writeHead(next.status, { 'content-type': 'text/plain', ...next.headers });
      response.end(next.body ?? '');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hooks/mlflow`,
    received,
    respondWith: (...responses) => script.push(...responses),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
};
