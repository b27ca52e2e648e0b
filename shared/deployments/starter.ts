import type { DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import { DEPLOYMENT_ENTITY } from '../data/deployments/keys.js';
import { TABLE } from '../data/table-definition.js';
import type { DeploymentDeps } from '../domain/deployments/ports.js';
import type { PromotionLauncher } from './aws-adapters.js';

/**
 * The table stream's new deployments → one state-machine execution each. A deployment recorded as PENDING in a
 * registry transaction is started here; the execution is named after it, so a retried batch starts nothing
 * twice. Records are handled in order and the first failure is reported (ReportBatchItemFailures): it and
 * everything after it come again.
 */
/** Step Functions names an execution `arn:...:execution:<state machine name>:<execution name>`. */
const executionArnOf = (deps: DeploymentDeps, deploymentId: string) =>
  deps.settings.stateMachineArn?.replace(':stateMachine:', ':execution:').concat(`:${deploymentId}`);

export const createPromotionStarter = (deps: DeploymentDeps, launch: PromotionLauncher, logError: (error: unknown) => void) =>
  async (event: DynamoDBStreamEvent): Promise<DynamoDBBatchResponse> => {
    for (const record of event.Records) {
      const image = record.dynamodb?.NewImage;
      if (record.eventName !== 'INSERT' || image?.[TABLE.entityTypeAttribute]?.S !== DEPLOYMENT_ENTITY) continue;
      const deploymentId = image.deploymentId?.S;
      if (!deploymentId || image.status?.S !== 'PENDING') continue;
      try {
        // Recorded before the start, so the history is in order; the start itself is idempotent by name.
        const executionArn = executionArnOf(deps, deploymentId);
        const now = deps.tracking.now();
        await deps.deployments.changeStatus(deploymentId, now, {
          status: 'PENDING',
          from: ['PENDING'],
          firstExecution: true,
          message: 'promotion started',
          step: { name: 'execution-started', status: 'PENDING', at: now, ...(executionArn ? { message: executionArn } : {}) },
          ...(executionArn ? { executionArn } : {}),
        });
        await launch(deploymentId);
      } catch (error) {
        logError(error);
        const sequenceNumber = record.dynamodb?.SequenceNumber;
        if (!sequenceNumber) throw error;
        return { batchItemFailures: [{ itemIdentifier: sequenceNumber }] };
      }
    }
    return { batchItemFailures: [] };
  };
