import type { TransactWriteItem } from '@aws-sdk/client-dynamodb';
import type { MetricPoint } from '../../domain/tracking/entities.js';
import type { DbContext } from '../db-context.js';
import { expression, toAttributes } from '../dynamo-ops.js';
import { toStoredMetric } from './codec.js';
import { loggedModelKey } from './keys.js';

/**
 * Appends points to an active logged model, as a transaction item: a run write carries the points of the
 * models it names (shared/data/runs/run-writes.ts). Its condition fails when the model is missing or deleted.
 */
export const appendModelMetrics = (db: DbContext, modelId: string, points: MetricPoint[], now: number): TransactWriteItem => ({
  Update: {
    TableName: db.tableName,
    Key: toAttributes(loggedModelKey(modelId)),
    UpdateExpression: 'SET #metrics = list_append(#metrics, :points), lastUpdatedTimestampMs = :now',
    ConditionExpression: 'lifecycleStage = :active',
    ...expression({ '#metrics': 'metrics' }, { ':points': points.map(toStoredMetric), ':now': now, ':active': 'active' }),
  },
});
