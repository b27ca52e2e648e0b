import { createDynamoClient } from '../../shared/data/dynamo-client.js';
import { loadSettings } from '../../shared/config/env.js';
import { createLogger, errorLogger } from '../../shared/observability/logger.js';
import { createSnapshotStreamHandler } from './lambda-snapshots.js';

const logger = createLogger('cairn-search');
const settings = loadSettings(process.env);

/** DynamoDB Streams (NEW_IMAGE, ReportBatchItemFailures): rebuilds search snapshots as dirty marks appear. */
export const handler = createSnapshotStreamHandler(
  { client: createDynamoClient({ endpoint: settings.dynamoEndpoint }), tableName: settings.tableName },
  {
    logError: errorLogger(logger, 'search snapshot rebuild failed'),
    logCompaction: (experimentId, result, entity) => logger.info('search snapshot rebuilt', { experimentId, entity, ...result }),
  },
);
