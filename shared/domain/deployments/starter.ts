import type { DeploymentPorts, PromotionLauncher } from './ports.js';

/** Step Functions names an execution `arn:...:execution:<state machine name>:<execution name>`. */
const executionArnOf = (settings: DeploymentPorts['settings'], deploymentId: string) =>
  settings.stateMachineArn?.replace(':stateMachine:', ':execution:').concat(`:${deploymentId}`);

/**
 * Starts the promotion of a deployment a registry change recorded as PENDING: one state-machine execution,
 * named after the deployment, so starting it again starts nothing twice. The start is recorded first, so the
 * history is in order.
 */
export const startPromotion = async (
  deps: Pick<DeploymentPorts, 'deployments' | 'settings' | 'now'>,
  launch: PromotionLauncher,
  deploymentId: string,
): Promise<void> => {
  const executionArn = executionArnOf(deps.settings, deploymentId);
  const now = deps.now();
  await deps.deployments.changeStatus(deploymentId, now, {
    status: 'PENDING',
    from: ['PENDING'],
    firstExecution: true,
    message: 'promotion started',
    step: { name: 'execution-started', status: 'PENDING', at: now, ...(executionArn ? { message: executionArn } : {}) },
    ...(executionArn ? { executionArn } : {}),
  });
  await launch(deploymentId);
};
