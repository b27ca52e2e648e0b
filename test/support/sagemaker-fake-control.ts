import type { FakeEndpoint, FakeOutcome } from './sagemaker-fake.js';

export const FAKE_ACCOUNT = '123456789012';
export const FAKE_REGION = 'us-east-1';

type Json = Record<string, unknown>;
type ArnKind = 'model' | 'endpoint-config' | 'endpoint';

// SageMaker lowercases the name inside ARNs; messages quote the ARN, so callers matching on them need the same casing.
export const arnOf = (kind: ArnKind, name: string) => `arn:aws:sagemaker:${FAKE_REGION}:${FAKE_ACCOUNT}:${kind}/${name.toLowerCase()}`;

/** An error the server answers with `status` and `{"__type": type, "message": message}`. */
export class FakeError extends Error {
  constructor(
    readonly type: string,
    message: string,
    readonly status = 400,
  ) {
    super(message);
  }
}

const invalid = (message: string) => new FakeError('ValidationException', message);
const seconds = (ms: number) => ms / 1000;

const NAME_PATTERN = '^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}';
const NAME = new RegExp(`${NAME_PATTERN}$`);

// Mirrors the service's own wording so a caller that surfaces the message shows what production would show.
const requireName = (input: Json, key: string): string => {
  const value = input[key];
  const member = key.charAt(0).toLowerCase() + key.slice(1);
  if (typeof value !== 'string') {
    throw invalid(`1 validation error detected: Value null at '${member}' failed to satisfy constraint: Member must not be null`);
  }
  if (!NAME.test(value)) {
    throw invalid(
      `1 validation error detected: Value '${value}' at '${member}' failed to satisfy constraint: Member must satisfy regular expression pattern: ${NAME_PATTERN}`,
    );
  }
  return value;
};

const variantsOf = (config: Json | undefined): Json[] =>
  Array.isArray(config?.ProductionVariants) ? (config.ProductionVariants as Json[]) : [];

export interface ControlState {
  models: Map<string, Json>;
  endpointConfigs: Map<string, Json>;
  endpoints: Map<string, FakeEndpoint>;
  /** Outcomes scripted for the next create/update of an endpoint, not yet consumed. */
  scripts: Map<string, { outcome: FakeOutcome; reason?: string }>;
  settleAfterDescribes: () => number;
}

export type Operation = (input: Json) => Json;

export const createControlPlane = (state: ControlState): Record<string, Operation> => {
  const { models, endpointConfigs, endpoints, scripts } = state;
  // The outcome is fixed when the create/update starts, so re-scripting mid-flight only affects the next deployment.
  const pending = new Map<string, { outcome: FakeOutcome; reason?: string }>();

  const findModel = (name: string) => {
    const model = models.get(name);
    if (!model) throw invalid(`Could not find model "${arnOf('model', name)}".`);
    return model;
  };
  const findConfig = (name: string) => {
    const config = endpointConfigs.get(name);
    if (!config) throw invalid(`Could not find endpoint configuration "${arnOf('endpoint-config', name)}".`);
    return config;
  };
  const findEndpoint = (name: string) => {
    const endpoint = endpoints.get(name);
    if (!endpoint) throw invalid(`Could not find endpoint "${arnOf('endpoint', name)}".`);
    return endpoint;
  };
  const inProgress = (endpoint: FakeEndpoint) =>
    endpoint.status === 'Creating' || endpoint.status === 'Updating' || endpoint.status === 'Deleting';

  const firstVariantName = (configName: string) => String(variantsOf(endpointConfigs.get(configName))[0]?.VariantName ?? 'AllTraffic');

  const settle = (endpoint: FakeEndpoint) => {
    const { outcome, reason } = pending.get(endpoint.name) ?? { outcome: 'InService' };
    pending.delete(endpoint.name);
    endpoint.lastModifiedTime = Date.now();
    if (endpoint.status === 'Creating') {
      // A create has nothing to roll back to, so a scripted RollBack fails it like a failed health check would.
      if (outcome === 'InService') {
        endpoint.status = 'InService';
      } else {
        endpoint.status = 'Failed';
        endpoint.failureReason =
          reason ??
          `The primary container for production variant ${firstVariantName(endpoint.configName)} did not pass the ping health check. Please check CloudWatch logs for this endpoint.`;
      }
      return;
    }
    const target = endpoint.pendingConfigName ?? endpoint.configName;
    endpoint.pendingConfigName = undefined;
    if (outcome === 'InService') {
      endpoint.status = 'InService';
      endpoint.configName = target;
    } else if (outcome === 'RollBack') {
      // Blue/green auto-rollback: traffic stays on the old fleet, and only FailureReason tells the caller it failed.
      endpoint.status = 'InService';
      endpoint.failureReason =
        reason ?? `Endpoint update to configuration ${target} failed and was rolled back: the new fleet did not pass the health check.`;
    } else {
      endpoint.status = 'Failed';
      endpoint.failureReason = reason ?? `Endpoint update to configuration ${target} failed.`;
    }
  };

  const startDeployment = (endpoint: FakeEndpoint) => {
    pending.set(endpoint.name, scripts.get(endpoint.name) ?? { outcome: 'InService' });
    scripts.delete(endpoint.name);
    endpoint.describesLeft = state.settleAfterDescribes();
    if (endpoint.describesLeft <= 0) settle(endpoint);
  };

  const describeEndpoint = (endpoint: FakeEndpoint): Json => {
    const serving = endpoint.status === 'InService' || endpoint.status === 'Updating';
    return {
      EndpointName: endpoint.name,
      EndpointArn: endpoint.arn,
      EndpointConfigName: endpoint.configName,
      EndpointStatus: endpoint.status,
      ...(endpoint.failureReason !== undefined && { FailureReason: endpoint.failureReason }),
      CreationTime: seconds(endpoint.creationTime),
      LastModifiedTime: seconds(endpoint.lastModifiedTime),
      ...(serving && {
        ProductionVariants: variantsOf(endpointConfigs.get(endpoint.configName)).map((variant) => ({
          VariantName: variant.VariantName,
          CurrentWeight: variant.InitialVariantWeight ?? 1,
          DesiredWeight: variant.InitialVariantWeight ?? 1,
          CurrentInstanceCount: variant.InitialInstanceCount ?? 1,
          DesiredInstanceCount: variant.InitialInstanceCount ?? 1,
        })),
      }),
      ...(endpoint.pendingConfigName !== undefined && {
        PendingDeploymentSummary: { EndpointConfigName: endpoint.pendingConfigName, StartTime: seconds(endpoint.lastModifiedTime) },
      }),
      ...(endpoint.deploymentConfig !== undefined && { LastDeploymentConfig: endpoint.deploymentConfig }),
    };
  };

  return {
    CreateModel: (input) => {
      const name = requireName(input, 'ModelName');
      const ModelArn = arnOf('model', name);
      if (models.has(name)) throw invalid(`Cannot create already existing model "${ModelArn}".`);
      models.set(name, { ...input, ModelArn, CreationTime: seconds(Date.now()) });
      return { ModelArn };
    },
    DescribeModel: (input) => findModel(requireName(input, 'ModelName')),
    DeleteModel: (input) => {
      const name = requireName(input, 'ModelName');
      findModel(name);
      models.delete(name);
      return {};
    },

    CreateEndpointConfig: (input) => {
      const name = requireName(input, 'EndpointConfigName');
      const EndpointConfigArn = arnOf('endpoint-config', name);
      if (endpointConfigs.has(name)) throw invalid(`Cannot create already existing endpoint configuration "${EndpointConfigArn}".`);
      const variants = variantsOf(input);
      if (variants.length === 0) {
        throw invalid(`1 validation error detected: Value null at 'productionVariants' failed to satisfy constraint: Member must not be null`);
      }
      for (const variant of variants) findModel(String(variant.ModelName));
      endpointConfigs.set(name, { ...input, EndpointConfigArn, CreationTime: seconds(Date.now()) });
      return { EndpointConfigArn };
    },
    DescribeEndpointConfig: (input) => findConfig(requireName(input, 'EndpointConfigName')),
    // Deleting a config still in use is allowed by SageMaker too; the endpoint keeps running on it.
    DeleteEndpointConfig: (input) => {
      const name = requireName(input, 'EndpointConfigName');
      findConfig(name);
      endpointConfigs.delete(name);
      return {};
    },

    CreateEndpoint: (input) => {
      const name = requireName(input, 'EndpointName');
      const configName = requireName(input, 'EndpointConfigName');
      const arn = arnOf('endpoint', name);
      if (endpoints.has(name)) throw invalid(`Cannot create already existing endpoint "${arn}".`);
      findConfig(configName);
      const now = Date.now();
      const endpoint: FakeEndpoint = { name, status: 'Creating', configName, creationTime: now, lastModifiedTime: now, describesLeft: 0, arn };
      endpoints.set(name, endpoint);
      startDeployment(endpoint);
      return { EndpointArn: arn };
    },
    UpdateEndpoint: (input) => {
      const endpoint = findEndpoint(requireName(input, 'EndpointName'));
      const configName = requireName(input, 'EndpointConfigName');
      findConfig(configName);
      if (inProgress(endpoint)) throw invalid(`Cannot update in-progress endpoint "${endpoint.arn}".`);
      if (endpoint.status === 'Failed') throw invalid(`Cannot update failed endpoint "${endpoint.arn}".`);
      endpoint.status = 'Updating';
      endpoint.pendingConfigName = configName;
      endpoint.failureReason = undefined;
      endpoint.deploymentConfig = input.DeploymentConfig as Json | undefined;
      endpoint.lastModifiedTime = Date.now();
      startDeployment(endpoint);
      return { EndpointArn: endpoint.arn };
    },
    DescribeEndpoint: (input) => {
      const endpoint = findEndpoint(requireName(input, 'EndpointName'));
      const answer = describeEndpoint(endpoint);
      // Answer first, then count down: with settleAfterDescribes = N, exactly N describes see the in-progress status.
      if (endpoint.status === 'Creating' || endpoint.status === 'Updating') {
        endpoint.describesLeft -= 1;
        if (endpoint.describesLeft <= 0) settle(endpoint);
      }
      return answer;
    },
    // SageMaker refuses to delete an endpoint mid-deployment, with the same wording as for an update.
    DeleteEndpoint: (input) => {
      const endpoint = findEndpoint(requireName(input, 'EndpointName'));
      if (inProgress(endpoint)) throw invalid(`Cannot update in-progress endpoint "${endpoint.arn}".`);
      endpoints.delete(endpoint.name);
      pending.delete(endpoint.name);
      return {};
    },
    ListEndpoints: (input) => {
      const contains = typeof input.NameContains === 'string' ? input.NameContains.toLowerCase() : undefined;
      const matching = [...endpoints.values()]
        .filter((endpoint) => contains === undefined || endpoint.name.toLowerCase().includes(contains))
        .filter((endpoint) => input.StatusEquals === undefined || endpoint.status === input.StatusEquals)
        .sort((a, b) => b.creationTime - a.creationTime);
      return {
        Endpoints: matching.map((endpoint) => ({
          EndpointName: endpoint.name,
          EndpointArn: endpoint.arn,
          CreationTime: seconds(endpoint.creationTime),
          LastModifiedTime: seconds(endpoint.lastModifiedTime),
          EndpointStatus: endpoint.status,
        })),
      };
    },
  };
};
