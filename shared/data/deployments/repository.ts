import { QueryCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import type { Deployment, DeploymentPolicy } from '../../domain/deployments/entities.js';
import type { DeploymentCursor, DeploymentStore, EndpointRecord, StatusChange } from '../../domain/deployments/ports.js';
import type { DbContext } from '../db-context.js';
import { isConditionalCheckFailed } from '../dynamo-errors.js';
import { expression, fromAttributes, getItem, send, toAttributes, type Item } from '../dynamo-ops.js';
import { TABLE } from '../table-definition.js';
import { fromDeploymentItem, fromEndpointItem, fromPolicyItem } from './codec.js';
import { deploymentKey, deploymentListingKey, deploymentListingPartition, deploymentPolicyKey, endpointKey } from './keys.js';

export type DeploymentRepository = ReturnType<typeof createDeploymentRepository>;

const listingStartKey = (modelId: string, cursor: DeploymentCursor) => ({
  ...deploymentKey(cursor.deploymentId),
  ...deploymentListingKey(modelId, cursor.createdAt, cursor.deploymentId),
});

export const createDeploymentRepository = (db: DbContext) => {
  const update = async (
    key: { pk: string; sk: string },
    input: { set: Record<string, unknown>; raw?: string[]; remove?: string[]; condition?: string; names?: Record<string, string>; values?: Item },
  ) => {
    const names: Record<string, string> = { ...input.names };
    const values: Item = { ...input.values };
    const sets = Object.entries(input.set).map(([attribute, value], index) => {
      names[`#u${index}`] = attribute;
      values[`:u${index}`] = value;
      return `#u${index} = :u${index}`;
    });
    sets.push(...(input.raw ?? []));
    const removes = (input.remove ?? []).map((attribute, index) => {
      names[`#r${index}`] = attribute;
      return `#r${index}`;
    });
    try {
      const result = await send(() =>
        db.client.send(
          new UpdateItemCommand({
            TableName: db.tableName,
            Key: toAttributes(key),
            UpdateExpression: [sets.length ? `SET ${sets.join(', ')}` : '', removes.length ? `REMOVE ${removes.join(', ')}` : ''].join(' ').trim(),
            ...(input.condition ? { ConditionExpression: input.condition } : {}),
            ReturnValues: 'ALL_NEW',
            ...expression(names, values),
          }),
        ),
      );
      return result.Attributes ? fromAttributes(result.Attributes) : undefined;
    } catch (error) {
      if (isConditionalCheckFailed(error)) return undefined;
      throw error;
    }
  };

  return {
    async getPolicy(modelId: string): Promise<DeploymentPolicy | undefined> {
      const item = await getItem(db, deploymentPolicyKey(modelId));
      return item ? fromPolicyItem(item) : undefined;
    },

    async get(deploymentId: string): Promise<Deployment | undefined> {
      const item = await getItem(db, deploymentKey(deploymentId));
      return item ? fromDeploymentItem(item) : undefined;
    },

    /**
     * A model's deployments, newest first, after `cursor` (the last one of the previous page). The start
     * key is rebuilt from the model and the cursor, so a listing never leaves the model's partition.
     */
    async listForModel(
      modelId: string,
      limit: number,
      cursor?: DeploymentCursor,
    ): Promise<{ deployments: Deployment[]; next?: DeploymentCursor }> {
      const page = await send(() =>
        db.client.send(
          new QueryCommand({
            TableName: db.tableName,
            IndexName: TABLE.indexes.byOwner.name,
            KeyConditionExpression: '#pk = :pk',
            ScanIndexForward: false,
            Limit: limit,
            ...(cursor ? { ExclusiveStartKey: toAttributes(listingStartKey(modelId, cursor)) } : {}),
            ...expression({ '#pk': TABLE.indexes.byOwner.partitionKey }, { ':pk': deploymentListingPartition(modelId) }),
          }),
        ),
      );
      const deployments = (page.Items ?? []).map((item) => fromDeploymentItem(fromAttributes(item)));
      const last = deployments[deployments.length - 1];
      return {
        deployments,
        ...(page.LastEvaluatedKey && last ? { next: { createdAt: last.createdAt, deploymentId: last.deploymentId } } : {}),
      };
    },

    /** Moves a deployment on; undefined when it is missing or not in one of `change.from`. */
    async changeStatus(deploymentId: string, now: number, change: StatusChange): Promise<Deployment | undefined> {
      const set: Record<string, unknown> = { status: change.status, updatedAt: now, statusMessage: change.message ?? '' };
      if (change.taskToken) set.taskToken = change.taskToken;
      if (change.executionArn) set.executionArn = change.executionArn;
      const from = change.from ?? [];
      const values: Item = { ':step': [change.step] };
      from.forEach((status, index) => (values[`:f${index}`] = status));
      const item = await update(deploymentKey(deploymentId), {
        set,
        raw: ['#steps = list_append(#steps, :step)'],
        remove: change.taskToken === null ? ['taskToken'] : [],
        names: { '#steps': 'steps', ...(from.length ? { '#status': 'status' } : {}) },
        values,
        condition: [
          'attribute_exists(pk)',
          ...(from.length ? [`#status IN (${from.map((_, i) => `:f${i}`).join(', ')})`] : []),
          ...(change.firstExecution ? ['attribute_not_exists(executionArn)'] : []),
        ].join(' AND '),
      });
      return item ? fromDeploymentItem(item) : undefined;
    },

    async getEndpoint(endpointName: string): Promise<EndpointRecord | undefined> {
      const item = await getItem(db, endpointKey(endpointName));
      return item ? fromEndpointItem(item) : undefined;
    },

    /**
     * Takes the endpoint for `deploymentId`: free, already its own, or held past its lease (an execution that
     * died holding it). Undefined when another promotion holds it.
     */
    async claimEndpoint(endpointName: string, deploymentId: string, now: number, leaseMs: number): Promise<EndpointRecord | undefined> {
      const item = await update(endpointKey(endpointName), {
        set: { lockHolder: deploymentId, lockExpiresAt: now + leaseMs },
        condition: 'attribute_exists(pk) AND (attribute_not_exists(#holder) OR #holder = :me OR #expires < :now)',
        names: { '#holder': 'lockHolder', '#expires': 'lockExpiresAt' },
        values: { ':me': deploymentId, ':now': now },
      });
      return item ? fromEndpointItem(item) : undefined;
    },

    /** Lets go of the endpoint if `deploymentId` holds it; optionally records it as the one in service. */
    async releaseEndpoint(endpointName: string, deploymentId: string, inService: boolean): Promise<void> {
      await update(endpointKey(endpointName), {
        set: inService ? { inServiceDeploymentId: deploymentId } : {},
        remove: ['lockHolder', 'lockExpiresAt'],
        condition: '#holder = :me',
        names: { '#holder': 'lockHolder' },
        values: { ':me': deploymentId },
      });
    },
  } satisfies DeploymentStore;
};
