import type { LoggedModel } from '../../domain/tracking/entities.js';
import type { DbContext } from '../db-context.js';
import { expression, queryAll } from '../dynamo-ops.js';
import { TABLE } from '../table-definition.js';
import { fromLoggedModelItem } from './codec.js';
import { loggedModelListingPartition } from './keys.js';

/** The experiment's active models from gsi1 (eventually consistent: a model written a moment ago may be missing). */
export const listActiveModels = async (db: DbContext, experimentId: string): Promise<LoggedModel[]> => {
  const items = await queryAll(db, {
    IndexName: TABLE.indexes.byOwner.name,
    KeyConditionExpression: '#pk = :pk',
    ...expression({ '#pk': TABLE.indexes.byOwner.partitionKey }, { ':pk': loggedModelListingPartition(experimentId) }),
  });
  return items.map(fromLoggedModelItem).filter((model) => model.lifecycleStage === 'active');
};
