import { PutItemCommand, QueryCommand } from '@aws-sdk/client-dynamodb';
import type { WebhookDeliveryLog } from '../../domain/webhooks/ports.js';
import type { DbContext } from '../db-context.js';
import { isConditionalCheckFailed } from '../dynamo-errors.js';
import { expression, fromAttributes, getItem, send, toAttributes, type Item } from '../dynamo-ops.js';
import { fromCursorItem, fromDeliveryItem, fromMarkerItem, toCursorItem, toDeliveryItem, toMarkerItem } from './codec.js';
import { deliveryMarkerKey, deliveryPartition, dispatchCursorKey } from './keys.js';

/**
 * What the dispatcher writes: each delivery's outcome, one marker per (webhook, event) that reached a final
 * outcome, and its cursor in the registry event log. Markers and the cursor are conditional puts, so two
 * dispatchers racing never move the cursor backwards and never record an event as done twice.
 */
export const createWebhookDeliveryLog = (db: DbContext, now: () => number = Date.now): WebhookDeliveryLog => {
  const put = async (item: Item, condition?: string, names: Record<string, string> = {}, values?: Item): Promise<boolean> => {
    try {
      await send(() =>
        db.client.send(
          new PutItemCommand({
            TableName: db.tableName,
            Item: toAttributes(item),
            ...(condition ? { ConditionExpression: condition, ...expression(names, values) } : {}),
          }),
        ),
      );
      return true;
    } catch (error) {
      if (isConditionalCheckFailed(error)) return false;
      throw error;
    }
  };

  return {
    async record(record) {
      await put(toDeliveryItem(record));
    },

    async listRecords(webhookId, limit = 100) {
      const result = await send(() =>
        db.client.send(
          new QueryCommand({
            TableName: db.tableName,
            KeyConditionExpression: 'pk = :pk',
            ...expression({}, { ':pk': deliveryPartition(webhookId) }),
            ScanIndexForward: false,
            Limit: limit,
            ConsistentRead: true,
          }),
        ),
      );
      return (result.Items ?? []).map((attributes) => fromDeliveryItem(fromAttributes(attributes)));
    },

    async getMarker(webhookId, eventId) {
      const item = await getItem(db, deliveryMarkerKey(webhookId, eventId));
      return item ? fromMarkerItem(item) : undefined;
    },

    putMarker(marker) {
      return put(toMarkerItem(marker), 'attribute_not_exists(pk)');
    },

    async getCursor() {
      const item = await getItem(db, dispatchCursorKey());
      return item ? fromCursorItem(item) : undefined;
    },

    moveCursor(from, to) {
      return from === undefined
        ? put(toCursorItem(to, now()), 'attribute_not_exists(pk)')
        : put(toCursorItem(to, now()), '#position = :from', { '#position': 'position' }, { ':from': from });
    },
  };
};
