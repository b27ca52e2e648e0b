import type { DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import { DEPLOYMENT_ENTITY } from '../../shared/data/deployments/keys.js';
import { TABLE } from '../../shared/data/table-definition.js';
import type { DeploymentPorts, PromotionLauncher } from '../../shared/domain/deployments/ports.js';
import { startPromotion } from '../../shared/domain/deployments/starter.js';

/**
 * The table stream's new deployments → one state-machine execution each (shared/domain/deployments/starter.ts).
 * Records are handled in order and the first failure is reported (ReportBatchItemFailures): it and
 * everything after it come again.
 */
export const createPromotionStarter = (
  deps: Pick<DeploymentPorts, 'deployments' | 'settings' | 'now'>,
  launch: PromotionLauncher,
  logError: (error: unknown) => void,
) =>
  async (event: DynamoDBStreamEvent): Promise<DynamoDBBatchResponse> => {
    for (const record of event.Records) {
      const image = record.dynamodb?.NewImage;
      if (record.eventName !== 'INSERT' || image?.[TABLE.entityTypeAttribute]?.S !== DEPLOYMENT_ENTITY) continue;
      const deploymentId = image.deploymentId?.S;
      if (!deploymentId || image.status?.S !== 'PENDING') continue;
      try {
        await startPromotion(deps, launch, deploymentId);
      } catch (error) {
        logError(error);
        const sequenceNumber = record.dynamodb?.SequenceNumber;
        if (!sequenceNumber) throw error;
        return { batchItemFailures: [{ itemIdentifier: sequenceNumber }] };
      }
    }
    return { batchItemFailures: [] };
  };
