import { ENV } from './env.js';
import type { DeploymentSettings } from '../domain/deployments/ports.js';

/** The deployment target from the environment (names in shared/config/env.ts; the stack sets them). */
export const loadDeploymentSettings = (env: NodeJS.ProcessEnv = process.env): DeploymentSettings => {
  const text = (name: string) => env[name]?.trim() || undefined;
  const stateMachineArn = text(ENV.promotionStateMachineArn);
  const executionRoleArn = text(ENV.sagemakerExecutionRoleArn);
  const servingImageUri = text(ENV.servingImageUri);
  return {
    ...(stateMachineArn ? { stateMachineArn } : {}),
    ...(executionRoleArn ? { executionRoleArn } : {}),
    ...(servingImageUri ? { servingImageUri } : {}),
    allowedRoleArns: (text(ENV.sagemakerAllowedRoleArns) ?? '')
      .split(',')
      .map((arn) => arn.trim())
      .filter((arn) => arn !== ''),
  };
};
