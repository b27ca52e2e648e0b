/**
 * A wire-level SageMaker fake (control plane over AWS JSON 1.1, runtime over REST-JSON) on one ephemeral
 * 127.0.0.1 port, so the real SageMakerClient and SageMakerRuntimeClient can be pointed at it via `endpoint`.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createControlPlane, FakeError, type ControlState } from './sagemaker-fake-control.js';
import { echoRowCount, endpointNotFound, modelError, runtimeError, type InvokeResult } from './sagemaker-fake-runtime.js';

export type FakeOutcome = 'InService' | 'Failed' | 'RollBack';

export interface FakeEndpoint {
  name: string;
  status: 'Creating' | 'Updating' | 'InService' | 'Failed' | 'Deleting';
  configName: string;
  pendingConfigName?: string;
  failureReason?: string;
  /** Epoch milliseconds; the wire carries epoch seconds. */
  creationTime: number;
  lastModifiedTime: number;
  describesLeft: number;
  arn: string;
  /** DeploymentConfig of the last UpdateEndpoint, as received (also answered as LastDeploymentConfig). */
  deploymentConfig?: Record<string, unknown>;
}

export interface SageMakerFake {
  url: string;
  close(): Promise<void>;
  /** Control-plane calls received, in order, including throttled and rejected ones: { operation, input }. */
  calls: { operation: string; input: Record<string, unknown> }[];
  /** name -> CreateModel input plus ModelArn and CreationTime (epoch seconds), as DescribeModel answers it. */
  models: Map<string, Record<string, unknown>>;
  /** name -> CreateEndpointConfig input plus EndpointConfigArn and CreationTime. */
  endpointConfigs: Map<string, Record<string, unknown>>;
  endpoints: Map<string, FakeEndpoint>;
  /** The next `count` calls of `operation` (a control-plane operation or 'InvokeEndpoint') answer 400 ThrottlingException. */
  throttle(operation: string, count: number): void;
  /**
   * Scripts the next CreateEndpoint/UpdateEndpoint of `endpointName`: 'InService' (default); 'Failed' (status Failed
   * with FailureReason); 'RollBack' (an update settles InService on the OLD config with FailureReason; a create fails).
   */
  scriptOutcome(endpointName: string, outcome: FakeOutcome, reason?: string): void;
  /** DescribeEndpoint calls that still see Creating/Updating before the endpoint settles (default 1; 0 settles at once). */
  settleAfterDescribes: number;
  /** InvokeEndpoint handler; default answers {"predictions": <rows>}. 424 becomes a ModelError wrapping `body`. */
  onInvoke: (endpointName: string, body: string, contentType: string | undefined) => InvokeResult;
  /** Every InvokeEndpoint request received, including those refused. */
  invocations: { endpointName: string; body: string; contentType?: string }[];
}

const JSON_11 = 'application/x-amz-json-1.1';
const INVOCATIONS_PATH = /^\/endpoints\/([^/]+)\/invocations$/;

const readBody = (request: IncomingMessage) =>
  new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks)));
    request.on('error', reject);
  });

const send = (response: ServerResponse, status: number, body: string, headers: Record<string, string>) => {
  response.writeHead(status, { 'x-amzn-RequestId': randomUUID(), 'content-length': Buffer.byteLength(body), ...headers });
  response.end(body);
};

// Both protocols read the error code from x-amzn-ErrorType before the body, so it is always set alongside __type.
const sendError = (response: ServerResponse, status: number, type: string, body: string, contentType: string) =>
  send(response, status, body, { 'content-type': contentType, 'x-amzn-ErrorType': type });

const THROTTLED = JSON.stringify({ __type: 'ThrottlingException', message: 'Rate exceeded' });

export const startSageMakerFake = async (): Promise<SageMakerFake> => {
  const throttles = new Map<string, number>();
  const scripts: ControlState['scripts'] = new Map();

  const takeThrottle = (operation: string) => {
    const left = throttles.get(operation) ?? 0;
    if (left <= 0) return false;
    throttles.set(operation, left - 1);
    return true;
  };

  const fake: SageMakerFake = {
    url: '',
    close: async () => undefined,
    calls: [],
    models: new Map(),
    endpointConfigs: new Map(),
    endpoints: new Map(),
    throttle: (operation, count) => throttles.set(operation, (throttles.get(operation) ?? 0) + count),
    scriptOutcome: (endpointName, outcome, reason) => scripts.set(endpointName, { outcome, reason }),
    settleAfterDescribes: 1,
    onInvoke: echoRowCount,
    invocations: [],
  };

  const operations = createControlPlane({
    models: fake.models,
    endpointConfigs: fake.endpointConfigs,
    endpoints: fake.endpoints,
    scripts,
    settleAfterDescribes: () => fake.settleAfterDescribes,
  });

  const controlPlane = (target: string, raw: string, response: ServerResponse) => {
    const operation = target.slice('SageMaker.'.length);
    let input: Record<string, unknown>;
    try {
      input = raw.trim() === '' ? {} : (JSON.parse(raw) as Record<string, unknown>);
    } catch {
      sendError(response, 400, 'SerializationException', JSON.stringify({ __type: 'SerializationException' }), JSON_11);
      return;
    }
    fake.calls.push({ operation, input });
    if (takeThrottle(operation)) return sendError(response, 400, 'ThrottlingException', THROTTLED, JSON_11);
    const handler = operations[operation];
    if (!handler) return sendError(response, 400, 'UnknownOperationException', JSON.stringify({ __type: 'UnknownOperationException' }), JSON_11);
    try {
      send(response, 200, JSON.stringify(handler(input)), { 'content-type': JSON_11 });
    } catch (error) {
      if (!(error instanceof FakeError)) throw error;
      sendError(response, error.status, error.type, JSON.stringify({ __type: error.type, message: error.message }), JSON_11);
    }
  };

  const runtime = (endpointName: string, raw: string, contentType: string | undefined, response: ServerResponse) => {
    fake.invocations.push({ endpointName, body: raw, ...(contentType !== undefined && { contentType }) });
    if (takeThrottle('InvokeEndpoint')) return sendError(response, 400, 'ThrottlingException', THROTTLED, 'application/json');
    const endpoint = fake.endpoints.get(endpointName);
    // An endpoint being updated keeps serving on its old fleet; that is the point of a blue/green deployment.
    if (!endpoint || (endpoint.status !== 'InService' && endpoint.status !== 'Updating')) {
      return sendError(response, 400, 'ValidationError', endpointNotFound(endpointName), 'application/json');
    }
    const result = fake.onInvoke(endpointName, raw, contentType);
    if (result.status === 424) return sendError(response, 424, 'ModelError', modelError(endpointName, result.body), 'application/json');
    if (result.status >= 300) {
      // Lets a test script any other service error by answering its JSON, __type included.
      const type = typeOf(result.body);
      return send(response, result.status, result.body, {
        'content-type': result.contentType ?? 'application/json',
        ...(type !== undefined && { 'x-amzn-ErrorType': type }),
      });
    }
    const variants = fake.endpointConfigs.get(endpoint.configName)?.ProductionVariants;
    const variant = Array.isArray(variants) ? (variants[0] as { VariantName?: unknown } | undefined)?.VariantName : undefined;
    send(response, result.status, result.body, {
      'content-type': result.contentType ?? 'application/json',
      'x-Amzn-Invoked-Production-Variant': typeof variant === 'string' ? variant : 'primary',
    });
  };

  const server = createServer((request, response) => {
    readBody(request)
      .then((buffer) => {
        const raw = buffer.toString('utf8');
        const path = (request.url ?? '/').split('?')[0] ?? '/';
        const invocation = INVOCATIONS_PATH.exec(path);
        const target = String(request.headers['x-amz-target'] ?? '');
        if (request.method === 'POST' && invocation?.[1] !== undefined) {
          const contentType = request.headers['content-type'];
          return runtime(decodeURIComponent(invocation[1]), raw, contentType, response);
        }
        if (request.method === 'POST' && target.startsWith('SageMaker.')) return controlPlane(target, raw, response);
        sendError(response, 400, 'UnknownOperationException', JSON.stringify({ __type: 'UnknownOperationException' }), JSON_11);
      })
      .catch((error: unknown) => {
        // A bug in the fake should fail the test loudly rather than look like a service answer the code under test handles.
        const message = error instanceof Error ? error.stack ?? error.message : String(error);
        if (!response.headersSent) sendError(response, 500, 'InternalFailure', runtimeError('InternalFailure', message), 'application/json');
      });
  });

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  fake.url = `http://127.0.0.1:${port}`;
  fake.close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return fake;
};

const typeOf = (body: string): string | undefined => {
  try {
    const parsed = JSON.parse(body) as { __type?: unknown };
    return typeof parsed.__type === 'string' ? parsed.__type : undefined;
  } catch {
    return undefined;
  }
};
