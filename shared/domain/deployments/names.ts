import { randomUUID } from 'node:crypto';

/**
 * Every SageMaker resource Cairn creates or changes starts with this prefix: the state machine's IAM policy
 * allows SageMaker actions on `model/cairn-*`, `endpoint-config/cairn-*` and `endpoint/cairn-*` only.
 */
export const SAGEMAKER_NAME_PREFIX = 'cairn-';

/** SageMaker's rule for model, endpoint-config and endpoint names. */
export const SAGEMAKER_NAME_PATTERN = /^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}$/;

/** 32 hex characters, as MLflow's ids: also the execution name and part of the SageMaker names. */
export const newDeploymentId = () => randomUUID().replaceAll('-', '');

/** Model and endpoint config are per deployment, so a rollback or a retry never collides with a live one. */
export const sagemakerModelName = (deploymentId: string) => `${SAGEMAKER_NAME_PREFIX}${deploymentId}`;
export const endpointConfigName = (deploymentId: string) => `${SAGEMAKER_NAME_PREFIX}${deploymentId}`;

/** The endpoint a policy uses when it names none: `cairn-` and the model name made SageMaker-safe. */
export const defaultEndpointName = (modelName: string) => {
  const safe = modelName
    .replace(/[^a-zA-Z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .toLowerCase();
  return `${SAGEMAKER_NAME_PREFIX}${safe || 'model'}`.slice(0, 63).replace(/-+$/, '');
};
