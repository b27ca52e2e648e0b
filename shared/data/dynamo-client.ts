import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { attachDynamoWire } from './dynamo-wire.js';

export interface DynamoClientOptions {
  /**
   * Endpoint of a local engine (dynoxide, DynamoDB Local), e.g. `http://127.0.0.1:8000`.
   * Omitted: real AWS DynamoDB, with credentials and region from the default provider chain / environment.
   */
  endpoint?: string;
  /** Region. Local endpoints default to us-east-1; AWS defaults to the environment (AWS_REGION, profile...). */
  region?: string;
  /**
   * Whether the calls on the request path take the lean wire (dynamo-wire.ts) rather than `client.send`.
   * @default true; a test that replaces `client.send` to fake a failure turns it off.
   */
  wire?: boolean;
}

/** Static credentials for local engines: they accept any (DynamoDB Local with -sharedDb ignores them). */
const LOCAL_CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' } as const;
const LOCAL_REGION = 'us-east-1';
const MAX_SOCKETS = 64;

/** True for endpoints that are not AWS-operated hosts (amazonaws.com, amazonaws.com.cn, api.aws). */
export function isLocalEndpoint(endpoint: string): boolean {
  const hostname = new URL(endpoint).hostname.toLowerCase();
  return !/(^|\.)(amazonaws\.com|amazonaws\.com\.cn|api\.aws)$/.test(hostname);
}

/**
 * A DynamoDB client with a keep-alive connection pool.
 * - With a local `endpoint`: static dummy credentials, region us-east-1 (unless given), 3 attempts.
 * - Without `endpoint`: default credential chain and region from the environment; retries follow the SDK
 *   defaults (AWS_MAX_ATTEMPTS / AWS_RETRY_MODE are honoured).
 */
export function createDynamoClient(options: DynamoClientOptions = {}): DynamoDBClient {
  const { endpoint, region, wire = true } = options;
  const agents = {
    http: new HttpAgent({ keepAlive: true, maxSockets: MAX_SOCKETS }),
    https: new HttpsAgent({ keepAlive: true, maxSockets: MAX_SOCKETS }),
  };
  const requestHandler = new NodeHttpHandler({ httpAgent: agents.http, httpsAgent: agents.https, connectionTimeout: 5_000 });

  const client =
    endpoint !== undefined && isLocalEndpoint(endpoint)
      ? new DynamoDBClient({ endpoint, region: region ?? LOCAL_REGION, credentials: LOCAL_CREDENTIALS, maxAttempts: 3, requestHandler })
      : new DynamoDBClient({
          ...(endpoint !== undefined ? { endpoint } : {}),
          ...(region !== undefined ? { region } : {}),
          requestHandler,
        });
  // The logger middleware copies and filters every request and response even when nothing logs them:
  // measured at about a fifth of the CPU of a large Query. Cairn logs its own errors instead.
  client.middlewareStack.remove('loggerMiddleware');
  // The calls on the request path skip the SDK's per-call machinery (dynamo-wire.ts), on the same sockets.
  if (wire) attachDynamoWire(client, agents);
  return client;
}
