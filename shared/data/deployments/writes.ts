import type { TransactWriteItem } from '@aws-sdk/client-dynamodb';
import type { Deployment, DeploymentPolicy } from '../../domain/deployments/entities.js';
import type { DbContext } from '../db-context.js';
import { expression, toAttributes } from '../dynamo-ops.js';
import { TABLE } from '../table-definition.js';
import { endpointStamp, toDeploymentItem, toPolicyItem } from './codec.js';
import { deploymentPolicyKey, endpointKey } from './keys.js';

/**
 * The deployment items a registry change writes in its own transaction (shared/data/registry/mutate.ts): a
 * model's policy, and the deployment an alias or stage change asks for with its endpoint's latest request.
 */
export const deploymentWrites = (db: DbContext) => ({
  putPolicy: (policy: DeploymentPolicy): TransactWriteItem => ({ Put: { TableName: db.tableName, Item: toAttributes(toPolicyItem(policy)) } }),
  deletePolicy: (modelId: string): TransactWriteItem => ({ Delete: { TableName: db.tableName, Key: toAttributes(deploymentPolicyKey(modelId)) } }),
  putDeployment: (deployment: Deployment): TransactWriteItem => ({
    Put: { TableName: db.tableName, Item: toAttributes(toDeploymentItem(deployment)), ConditionExpression: 'attribute_not_exists(pk)' },
  }),
  /** The endpoint remembers its latest request: an older promotion that has not started yet then steps aside. */
  requestEndpoint: (endpointName: string, deploymentId: string): TransactWriteItem => ({
    Update: {
      TableName: db.tableName,
      Key: toAttributes(endpointKey(endpointName)),
      UpdateExpression: 'SET #et = :et, #v = :v, endpointName = :name, latestDeploymentId = :id',
      ...expression(
        { '#et': TABLE.entityTypeAttribute, '#v': TABLE.schemaVersionAttribute },
        { ':et': endpointStamp()[TABLE.entityTypeAttribute], ':v': endpointStamp()[TABLE.schemaVersionAttribute], ':name': endpointName, ':id': deploymentId },
      ),
    },
  }),
});
