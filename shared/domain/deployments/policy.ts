import { invalidParameter } from '../../errors/index.js';
import { parseStage, validateAlias } from '../registry/validation.js';
import type { DeploymentPolicy, DeploymentTrigger } from './entities.js';
import { defaultEndpointName, SAGEMAKER_NAME_PATTERN, SAGEMAKER_NAME_PREFIX } from './names.js';
import type { DeploymentSettings } from './ports.js';

export const DEFAULT_POLICY = {
  aliases: ['champion'],
  stages: ['Production'],
  instanceType: 'ml.m5.large',
  initialInstanceCount: 1,
  approvalRequired: false,
  terminationWaitSeconds: 300,
} as const;

/** What a set-policy request asks for; unset fields take DEFAULT_POLICY's values (or the model's endpoint name). */
export interface DeploymentPolicyInput {
  aliases?: string[];
  stages?: string[];
  endpointName?: string;
  instanceType?: string;
  initialInstanceCount?: number;
  imageUri?: string;
  executionRoleArn?: string;
  approvalRequired?: boolean;
  rollbackAlarms?: string[];
  terminationWaitSeconds?: number;
}

const INSTANCE_TYPE = /^ml\.[a-z0-9]+\.[a-z0-9]+$/;
const ECR_IMAGE = /^\d{12}\.dkr\.ecr\.[a-z0-9-]+\.amazonaws\.com(\.cn)?\/[a-z0-9._\/-]+(:[\w.-]{1,128}|@sha256:[0-9a-f]{64})$/;
const ROLE_ARN = /^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@\/-]{1,512}$/;
const ALARM_NAME = /^[^\s][\s\S]{0,254}$/;
// SageMaker's limits: at most 10 rollback alarms; the old fleet is kept for at most an hour.
const MAX_ALARMS = 10;
const MAX_TERMINATION_WAIT = 3600;

/**
 * The policy a set-policy request asks for, with defaults filled in and every field checked: a mistake is a
 * 400 naming the field, never a deployment that fails later. Roles are checked against what the state
 * machine may pass, when a target is configured.
 */
export const buildPolicy = (
  input: DeploymentPolicyInput,
  model: { modelId: string; name: string },
  settings: DeploymentSettings,
  now: number,
): DeploymentPolicy => {
  const aliases = [...new Set(input.aliases ?? DEFAULT_POLICY.aliases)];
  aliases.forEach(validateAlias);
  const stages = [...new Set((input.stages ?? DEFAULT_POLICY.stages).map(parseStage))];
  for (const stage of stages) {
    if (stage !== 'Staging' && stage !== 'Production') {
      throw invalidParameter(`Deployment stages must be Staging or Production; got '${stage}'.`);
    }
  }
  const endpointName = input.endpointName || defaultEndpointName(model.name);
  if (!SAGEMAKER_NAME_PATTERN.test(endpointName) || !endpointName.startsWith(SAGEMAKER_NAME_PREFIX)) {
    throw invalidParameter(
      `Invalid endpoint_name '${endpointName}': it must start with '${SAGEMAKER_NAME_PREFIX}' (Cairn may change only endpoints under that prefix) ` +
        'and have at most 63 letters, digits and single dashes.',
    );
  }
  const instanceType = input.instanceType ?? DEFAULT_POLICY.instanceType;
  if (!INSTANCE_TYPE.test(instanceType)) throw invalidParameter(`Invalid instance_type '${instanceType}': expected a SageMaker instance type such as ml.m5.large.`);
  const count = input.initialInstanceCount ?? DEFAULT_POLICY.initialInstanceCount;
  if (count < 1 || count > 100) throw invalidParameter(`Invalid initial_instance_count ${count}: expected 1 to 100.`);
  if (input.imageUri && !ECR_IMAGE.test(input.imageUri)) {
    throw invalidParameter(
      `Invalid image_uri '${input.imageUri}': expected an ECR image such as 123456789012.dkr.ecr.eu-west-1.amazonaws.com/mlflow-pyfunc:2.22.0.`,
    );
  }
  const role = input.executionRoleArn || undefined;
  if (role) checkRole(role, settings);
  const alarms = [...new Set(input.rollbackAlarms ?? [])];
  if (alarms.length > MAX_ALARMS) throw invalidParameter(`At most ${MAX_ALARMS} rollback_alarms are allowed; got ${alarms.length}.`);
  for (const alarm of alarms) if (!ALARM_NAME.test(alarm)) throw invalidParameter(`Invalid rollback alarm name '${alarm}'.`);
  const wait = input.terminationWaitSeconds ?? DEFAULT_POLICY.terminationWaitSeconds;
  if (wait < 0 || wait > MAX_TERMINATION_WAIT) {
    throw invalidParameter(`Invalid termination_wait_seconds ${wait}: expected 0 to ${MAX_TERMINATION_WAIT}.`);
  }
  return {
    modelId: model.modelId,
    aliases,
    stages,
    endpointName,
    instanceType,
    initialInstanceCount: count,
    ...(input.imageUri ? { imageUri: input.imageUri } : {}),
    ...(role ? { executionRoleArn: role } : {}),
    approvalRequired: input.approvalRequired ?? DEFAULT_POLICY.approvalRequired,
    rollbackAlarms: alarms,
    terminationWaitSeconds: wait,
    updatedAt: now,
  };
};

const checkRole = (role: string, settings: DeploymentSettings) => {
  if (!ROLE_ARN.test(role)) throw invalidParameter(`Invalid execution_role_arn '${role}': expected an IAM role ARN.`);
  if (!settings.stateMachineArn) return;
  const allowed = [settings.executionRoleArn, ...settings.allowedRoleArns].filter((arn): arn is string => Boolean(arn));
  if (!allowed.includes(role)) {
    throw invalidParameter(
      `The execution role '${role}' is not one Cairn's state machine may pass to SageMaker. Allowed: ${allowed.join(', ') || 'none'}. ` +
        'Add it with the sagemakerExecutionRoleArns setting of the stack.',
    );
  }
};

/** Whether a registry change is one the policy deploys on. */
export const policyMatches = (policy: DeploymentPolicy, trigger: DeploymentTrigger) =>
  trigger.kind === 'alias' ? policy.aliases.includes(trigger.alias) : policy.stages.includes(trigger.stage);

/** The model tag that says what promotes the model, e.g. `alias:champion,stage:Production`. */
export const describeTriggers = (policy: DeploymentPolicy) =>
  [...policy.aliases.map((a) => `alias:${a}`), ...policy.stages.map((s) => `stage:${s}`)].join(',');

/** The policy in the API's snake_case. */
export const policyToJson = (policy: DeploymentPolicy, name: string) => ({
  name,
  aliases: policy.aliases,
  stages: policy.stages,
  endpoint_name: policy.endpointName,
  instance_type: policy.instanceType,
  initial_instance_count: policy.initialInstanceCount,
  ...(policy.imageUri ? { image_uri: policy.imageUri } : {}),
  ...(policy.executionRoleArn ? { execution_role_arn: policy.executionRoleArn } : {}),
  approval_required: policy.approvalRequired,
  rollback_alarms: policy.rollbackAlarms,
  termination_wait_seconds: policy.terminationWaitSeconds,
  updated_at: policy.updatedAt,
});
