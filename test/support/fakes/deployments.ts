import type { Deployment, DeploymentPolicy } from '../../../shared/domain/deployments/entities.js';
import type {
  DeploymentCursor,
  DeploymentStore,
  EndpointRecord,
  ModelFiles,
  StatusChange,
  TaskResponder,
} from '../../../shared/domain/deployments/ports.js';

/**
 * In-memory deployment items, shared by the deployment store and the registry fake (a registry change writes
 * a model's policy and the deployment it asks for in the same change, as the table does).
 */
export interface DeploymentTables {
  readonly policies: Map<string, DeploymentPolicy>;
  readonly deployments: Map<string, Deployment>;
  readonly endpoints: Map<string, EndpointRecord>;
}

export const createDeploymentTables = (): DeploymentTables => ({ policies: new Map(), deployments: new Map(), endpoints: new Map() });

const copy = <T>(value: T): T => structuredClone(value);

/** Newest first, as the table's listing index orders them: by creation time, then id. */
const newestFirst = (a: Deployment, b: Deployment) =>
  b.createdAt - a.createdAt || (a.deploymentId < b.deploymentId ? 1 : a.deploymentId > b.deploymentId ? -1 : 0);

const before = (deployment: Deployment, cursor: DeploymentCursor) =>
  deployment.createdAt < cursor.createdAt || (deployment.createdAt === cursor.createdAt && deployment.deploymentId < cursor.deploymentId);

/** A DeploymentStore on maps, with the table's conditions (status guards, endpoint lease). */
export const createMemoryDeployments = (tables: DeploymentTables = createDeploymentTables()): DeploymentStore & { tables: DeploymentTables } => ({
  tables,
  async getPolicy(modelId) {
    const policy = tables.policies.get(modelId);
    return policy && copy(policy);
  },

  async get(deploymentId) {
    const deployment = tables.deployments.get(deploymentId);
    return deployment && copy(deployment);
  },

  async listForModel(modelId, limit, cursor) {
    const all = [...tables.deployments.values()]
      .filter((d) => d.modelId === modelId)
      .sort(newestFirst)
      .filter((d) => !cursor || before(d, cursor));
    const deployments = all.slice(0, limit).map(copy);
    const last = deployments[deployments.length - 1];
    return { deployments, ...(all.length > limit && last ? { next: { createdAt: last.createdAt, deploymentId: last.deploymentId } } : {}) };
  },

  async changeStatus(deploymentId, now, change: StatusChange) {
    const current = tables.deployments.get(deploymentId);
    if (!current) return undefined;
    if (change.from?.length && !change.from.includes(current.status)) return undefined;
    if (change.firstExecution && current.executionArn !== undefined) return undefined;
    const next: Deployment = {
      ...current,
      status: change.status,
      updatedAt: now,
      statusMessage: change.message ?? '',
      steps: [...current.steps, change.step],
      ...(change.taskToken ? { taskToken: change.taskToken } : {}),
      ...(change.executionArn ? { executionArn: change.executionArn } : {}),
    };
    if (change.taskToken === null) delete next.taskToken;
    tables.deployments.set(deploymentId, next);
    return copy(next);
  },

  async getEndpoint(endpointName) {
    const endpoint = tables.endpoints.get(endpointName);
    return endpoint && copy(endpoint);
  },

  async claimEndpoint(endpointName, deploymentId, now, leaseMs) {
    const endpoint = tables.endpoints.get(endpointName);
    if (!endpoint) return undefined;
    const free = endpoint.lockHolder === undefined || endpoint.lockHolder === deploymentId || (endpoint.lockExpiresAt ?? 0) < now;
    if (!free) return undefined;
    const next = { ...endpoint, lockHolder: deploymentId, lockExpiresAt: now + leaseMs };
    tables.endpoints.set(endpointName, next);
    return copy(next);
  },

  async releaseEndpoint(endpointName, deploymentId, inService) {
    const endpoint = tables.endpoints.get(endpointName);
    if (!endpoint || endpoint.lockHolder !== deploymentId) return;
    const { lockHolder: _, lockExpiresAt: __, ...rest } = endpoint;
    tables.endpoints.set(endpointName, { ...rest, ...(inService ? { inServiceDeploymentId: deploymentId } : {}) });
  },
});

/** Step Functions' task responses, recorded in order. */
export const recordingTasks = (): TaskResponder & { calls: { kind: 'success' | 'failure'; taskToken: string; detail: string }[] } => {
  const calls: { kind: 'success' | 'failure'; taskToken: string; detail: string }[] = [];
  return {
    calls,
    async sendTaskSuccess(taskToken, output) {
      calls.push({ kind: 'success', taskToken, detail: output });
    },
    async sendTaskFailure(taskToken, error, cause) {
      calls.push({ kind: 'failure', taskToken, detail: `${error}: ${cause}` });
    },
  };
};

/** Model files keyed by `<uri>/<path>`; every uri is under an S3 prefix unless listed in `notS3`. */
export const memoryModelFiles = (files: Record<string, string>, notS3: readonly string[] = []): ModelFiles => ({
  async readText(uri, path) {
    return files[`${uri.replace(/\/+$/, '')}/${path}`];
  },
  s3Prefix(uri) {
    if (notS3.includes(uri)) throw new Error('the artifact store is not S3');
    return `s3://bucket/${uri.replace(/^[a-z0-9-]+:\/+/i, '').replace(/\/+$/, '')}/`;
  },
});
