import { PutItemCommand, QueryCommand, UpdateItemCommand, type AttributeValue } from '@aws-sdk/client-dynamodb';
import type { Webhook, WebhookChanges } from '../../domain/webhooks/entities.js';
import type { WebhookPage, WebhookStore } from '../../domain/webhooks/ports.js';
import { decodePageToken, encodePageToken } from '../../domain/kernel/page-token.js';
import { alreadyExists } from '../../errors/index.js';
import type { DbContext } from '../db-context.js';
import { isConditionalCheckFailed } from '../dynamo-errors.js';
import { expression, fromAttributes, getItem, queryAll, send, toAttributes, type Item } from '../dynamo-ops.js';
import { TABLE } from '../table-definition.js';
import { fromWebhookItem, toWebhookItem } from './codec.js';
import { WEBHOOK_LISTING, WEBHOOK_LISTING_SORT_KEY, webhookKey, webhookListingSortKey } from './keys.js';

const LIVE = 'attribute_exists(pk) AND attribute_not_exists(deletedTimestamp)';

/** Webhooks: one item each, listed newest first through gsi1 (WEBHOOKS / <creation ms>#<id>). */
export const createWebhookRepository = (db: DbContext): WebhookStore => {
  const index = TABLE.indexes.byOwner;

  /** Up to `limit` live webhooks listed before `before` (a listing sort key), newest first. */
  const queryListing = async (limit: number, before?: string): Promise<Webhook[]> => {
    const webhooks: Webhook[] = [];
    let startKey: Record<string, AttributeValue> | undefined;
    do {
      const page = await send(() =>
        db.client.send(
          new QueryCommand({
            TableName: db.tableName,
            IndexName: index.name,
            KeyConditionExpression: before ? '#pk = :pk AND #sk < :before' : '#pk = :pk',
            ...expression(
              { '#pk': index.partitionKey, ...(before ? { '#sk': index.sortKey } : {}) },
              { ':pk': WEBHOOK_LISTING, ...(before ? { ':before': before } : {}) },
            ),
            ScanIndexForward: false,
            Limit: limit - webhooks.length,
            ExclusiveStartKey: startKey,
          }),
        ),
      );
      for (const attributes of page.Items ?? []) {
        const { webhook, deleted } = fromWebhookItem(fromAttributes(attributes));
        if (!deleted) webhooks.push(webhook);
      }
      startKey = page.LastEvaluatedKey;
    } while (startKey && webhooks.length < limit);
    return webhooks;
  };

  const update = async (webhookId: string, set: string[], names: Record<string, string>, values: Item, tail = '') => {
    try {
      const result = await send(() =>
        db.client.send(
          new UpdateItemCommand({
            TableName: db.tableName,
            Key: toAttributes(webhookKey(webhookId)),
            UpdateExpression: `SET ${set.join(', ')}${tail}`,
            ConditionExpression: LIVE,
            ...expression(names, values),
            ReturnValues: 'ALL_NEW',
          }),
        ),
      );
      return result.Attributes ? fromWebhookItem(fromAttributes(result.Attributes)).webhook : undefined;
    } catch (error) {
      if (isConditionalCheckFailed(error)) return undefined;
      throw error;
    }
  };

  return {
    async create(webhook) {
      try {
        await send(() =>
          db.client.send(
            new PutItemCommand({
              TableName: db.tableName,
              Item: toAttributes(toWebhookItem(webhook)),
              ConditionExpression: 'attribute_not_exists(pk)',
            }),
          ),
        );
      } catch (error) {
        if (isConditionalCheckFailed(error)) throw alreadyExists(`Webhook with ID ${webhook.webhookId} already exists.`);
        throw error;
      }
    },

    async get(webhookId) {
      const item = await getItem(db, webhookKey(webhookId));
      if (!item) return undefined;
      const { webhook, deleted } = fromWebhookItem(item);
      return deleted ? undefined : webhook;
    },

    async list(maxResults, pageToken): Promise<WebhookPage> {
      // One more than asked tells whether there is a next page without a second query.
      const found = await queryListing(maxResults + 1, decodeListingToken(pageToken));
      const page = found.slice(0, maxResults);
      const last = page[page.length - 1];
      return found.length > maxResults && last
        ? { webhooks: page, nextPageToken: encodeListingToken(webhookListingSortKey(last.creationTimestamp, last.webhookId)) }
        : { webhooks: page };
    },

    async listAll() {
      const items = await queryAll(db, {
        IndexName: index.name,
        KeyConditionExpression: '#pk = :pk',
        ...expression({ '#pk': index.partitionKey }, { ':pk': WEBHOOK_LISTING }),
      });
      return items.map(fromWebhookItem).flatMap(({ webhook, deleted }) => (deleted ? [] : [webhook]));
    },

    update(webhookId, changes: WebhookChanges, now) {
      const set = ['lastUpdatedTimestamp = :now'];
      const names: Record<string, string> = {};
      const values: Item = { ':now': now };
      for (const [field, value] of Object.entries(changes)) {
        if (value === undefined) continue;
        names[`#${field}`] = field;
        values[`:${field}`] = value;
        set.push(`#${field} = :${field}`);
      }
      return update(webhookId, set, names, values);
    },

    async delete(webhookId, now) {
      // Leaving the listing index is what hides a deleted webhook from list and from the dispatcher.
      const deleted = await update(
        webhookId,
        ['deletedTimestamp = :now', 'lastUpdatedTimestamp = :now'],
        { '#gpk': index.partitionKey, '#gsk': index.sortKey },
        { ':now': now },
        ' REMOVE #gpk, #gsk',
      );
      return deleted !== undefined;
    },
  };
};

/** The listing has one partition and no request fields: a token carries only the sort key it continues before. */
const LISTING_SCOPE = { kind: 'webhooks/list', request: [] };

const encodeListingToken = (before: string): string => encodePageToken(LISTING_SCOPE, { before });

const decodeListingToken = (token: string | undefined): string | undefined =>
  decodePageToken(token, LISTING_SCOPE, (position) => {
    const before = (position as { before?: unknown } | null)?.before;
    return typeof before === 'string' && WEBHOOK_LISTING_SORT_KEY.test(before) ? before : undefined;
  });
