import { ExecutionAlreadyExists, SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import type { PromotionLauncher } from '../../shared/domain/deployments/ports.js';

/** Starts one deployment's promotion as a Step Functions execution named after the deployment. */
export const createSfnLauncher = (stateMachineArn: string, client: SFNClient = new SFNClient({})): PromotionLauncher => async (deploymentId) => {
  try {
    await client.send(new StartExecutionCommand({ stateMachineArn, name: deploymentId, input: JSON.stringify({ deploymentId }) }));
  } catch (error) {
    // Same name and same input again (a retried stream batch): Step Functions keeps the first execution.
    if (error instanceof ExecutionAlreadyExists || (error as Error).name === 'ExecutionAlreadyExists') return;
    throw error;
  }
};
