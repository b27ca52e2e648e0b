import { Choice, Condition, Errors, Fail, JsonPath, Map, Pass, Succeed } from 'aws-cdk-lib/aws-stepfunctions';
import type { Construct } from 'constructs';
import { STATES } from '../../shared/workflows/promotion.js';
import type { SageMakerResourceType, SageMakerTaskFactory } from './promotion-tasks.js';

// The tail of the promotion definition (promotion-definition.ts): its end states, and the best-effort cleanup that
// runs once the outcome or the failure is recorded. Kept apart so the main definition reads as the happy path.

export interface PromotionEnds {
  readonly deployed: Succeed;
  readonly failed: Fail;
  readonly rejectedEnd: Succeed;
  readonly supersededEnd: Succeed;
}

/** The states an execution ends in. */
export const promotionEnds = (scope: Construct): PromotionEnds => ({
  deployed: Succeed.jsonPath(scope, STATES.deployed),
  failed: Fail.jsonPath(scope, STATES.failed, {
    error: 'DeploymentFailed',
    cause: 'The deployment did not come into service; its record in Cairn holds the reason.',
  }),
  rejectedEnd: Succeed.jsonPath(scope, STATES.rejectedEnd),
  supersededEnd: Succeed.jsonPath(scope, STATES.supersededEnd),
});

/**
 * Cleanup, best effort: whatever SageMaker refuses to delete stays, and the outcome stands.
 *
 *   DeleteFailedEndpoint? → [DeleteFailedEndpoint] → DeleteUnusedEndpointConfigs → DeleteUnusedModels → InService?
 *
 * Returns the first state (the DeleteFailedEndpoint? choice), which RecordOutcome and RecordFailure lead to.
 */
export const promotionCleanup = (scope: Construct, sagemaker: SageMakerTaskFactory, ends: PromotionEnds): Choice => {
  const inService = Choice.jsonPath(scope, STATES.inService)
    .when(Condition.stringEquals('$.outcome.status', 'IN_SERVICE'), ends.deployed)
    .otherwise(ends.failed);
  /** A Map deleting each name of `itemsPath` with `action`; a name SageMaker refuses to delete is kept (the Pass `keepId`). */
  const cleanupMap = (
    id: string,
    itemsPath: string,
    remover: { id: string; action: string; nameKey: string; type: SageMakerResourceType; keepId: string },
  ) => {
    const remove = sagemaker(remover.id, remover.action, { [remover.nameKey]: JsonPath.stringAt('$.name') }, [remover.type], {
      resultPath: JsonPath.DISCARD,
    });
    remove.addCatch(Pass.jsonPath(scope, remover.keepId), { errors: [Errors.ALL], resultPath: JsonPath.DISCARD });
    const map = Map.jsonPath(scope, id, {
      itemsPath,
      itemSelector: { name: JsonPath.stringAt('$$.Map.Item.Value') },
      maxConcurrency: 5,
      resultPath: JsonPath.DISCARD,
    });
    map.itemProcessor(remove);
    return map;
  };
  const deleteModels = cleanupMap(STATES.deleteModels, '$.outcome.cleanup.modelNames', {
    id: STATES.deleteModel,
    action: 'deleteModel',
    nameKey: 'ModelName',
    type: 'model',
    keepId: 'KeepModel',
  });
  deleteModels.addCatch(inService, { errors: [Errors.ALL], resultPath: '$.cleanupError' });
  deleteModels.next(inService);
  const deleteConfigs = cleanupMap(STATES.deleteConfigs, '$.outcome.cleanup.endpointConfigNames', {
    id: STATES.deleteConfig,
    action: 'deleteEndpointConfig',
    nameKey: 'EndpointConfigName',
    type: 'endpoint-config',
    keepId: 'KeepEndpointConfig',
  });
  deleteConfigs.addCatch(deleteModels, { errors: [Errors.ALL], resultPath: '$.cleanupError' });
  deleteConfigs.next(deleteModels);
  const deleteEndpoint = sagemaker(
    STATES.deleteEndpoint,
    'deleteEndpoint',
    { EndpointName: JsonPath.stringAt('$.outcome.cleanup.endpointName') },
    ['endpoint'],
    { resultPath: JsonPath.DISCARD },
  );
  deleteEndpoint.addCatch(deleteConfigs, { errors: [Errors.ALL], resultPath: '$.cleanupError' });
  deleteEndpoint.next(deleteConfigs);
  return Choice.jsonPath(scope, STATES.deleteEndpointChoice)
    .when(
      Condition.and(Condition.isPresent('$.outcome.cleanup.endpointName'), Condition.isString('$.outcome.cleanup.endpointName')),
      deleteEndpoint,
    )
    .otherwise(deleteConfigs);
};
