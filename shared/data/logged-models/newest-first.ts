import type { LoggedModel } from '../../domain/tracking/entities.js';
import type { LoggedModelPlace } from '../../domain/tracking/ports.js';
import type { DbContext } from '../db-context.js';
import { expression, queryPages, type Item } from '../dynamo-ops.js';
import { TABLE } from '../table-definition.js';
import { fromLoggedModelItem } from './codec.js';
import { loggedModelListingKey, loggedModelListingPartition } from './keys.js';

const DEFAULT_PAGE = 100;

/** Newest first, then by model id: the order of search_logged_models without order_by. */
const newestThenId = (a: LoggedModel, b: LoggedModel) =>
  b.creationTimestampMs - a.creationTimestampMs || (a.modelId < b.modelId ? -1 : a.modelId > b.modelId ? 1 : 0);

/** The listing's sort key prefix of one creation time (every model created that millisecond sorts under it). */
const creationPrefix = (experimentId: string, creationMs: number) => loggedModelListingKey(experimentId, creationMs, '').gsi1sk;

/**
 * An experiment's active logged models newest first from gsi1 (`LMEXP#<id>` / `<creation ms>#<modelId>`), after
 * `after`. The index sorts models of one millisecond by id ascending, so reading it backwards gives them in the
 * wrong order: each page holds back its last millisecond until the next page shows it complete.
 */
export async function* newestFirst(
  db: DbContext,
  experimentId: string,
  after?: LoggedModelPlace,
  pageSize = DEFAULT_PAGE,
): AsyncGenerator<LoggedModel[]> {
  const index = TABLE.indexes.byOwner;
  const active = (items: Item[]) => items.map(fromLoggedModelItem).filter((model) => model.lifecycleStage === 'active');
  const names = { '#pk': index.partitionKey, '#sk': index.sortKey };
  const partition = loggedModelListingPartition(experimentId);
  if (after) {
    // The rest of the cursor's millisecond first, in id order.
    const prefix = creationPrefix(experimentId, after.creationTimestampMs);
    for await (const page of queryPages(db, {
      IndexName: index.name,
      KeyConditionExpression: '#pk = :pk AND begins_with(#sk, :prefix)',
      ...expression(names, { ':pk': partition, ':prefix': prefix }),
    })) {
      const rest = active(page).filter((model) => model.modelId > after.modelId);
      if (rest.length > 0) yield rest;
    }
  }
  let held: LoggedModel[] = [];
  for await (const page of queryPages(db, {
    IndexName: index.name,
    ScanIndexForward: false,
    Limit: Math.max(10, Math.min(pageSize, 1000)),
    ...(after
      ? {
          KeyConditionExpression: '#pk = :pk AND #sk < :before',
          ...expression(names, { ':pk': partition, ':before': creationPrefix(experimentId, after.creationTimestampMs) }),
        }
      : { KeyConditionExpression: '#pk = :pk', ...expression({ '#pk': index.partitionKey }, { ':pk': partition }) }),
  })) {
    const models = [...held, ...page.map(fromLoggedModelItem)];
    const last = models[models.length - 1]?.creationTimestampMs;
    const complete = models.filter((model) => model.creationTimestampMs !== last);
    held = models.filter((model) => model.creationTimestampMs === last);
    const ready = complete.filter((model) => model.lifecycleStage === 'active').sort(newestThenId);
    if (ready.length > 0) yield ready;
  }
  const rest = held.filter((model) => model.lifecycleStage === 'active').sort(newestThenId);
  if (rest.length > 0) yield rest;
}
