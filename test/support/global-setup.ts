/**
 * Vitest globalSetup: starts both local DynamoDB engines in memory once per run and provides their endpoints
 * (`inject('dynamoLocalEndpoint')`, `inject('dynoxideEndpoint')`). Both are started, so the data-layer suite
 * can run against DynamoDB Local (the reference) and dynoxide (the embedded default).
 */
import type { TestProject } from 'vitest/node';
import { startDynamoEngine, type DynamoEngine } from '../../shared/local/dynamodb-engine.js';
import { assertLoopbackEndpoint } from './loopback.js';

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const started = Date.now();
  const results = await Promise.allSettled([
    startDynamoEngine({ kind: 'dynamodb-local' }),
    startDynamoEngine({ kind: 'dynoxide' }),
  ]);
  const engines = results.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
  const stopAll = async (): Promise<void> => {
    await Promise.all(engines.map((engine) => engine.stop()));
  };

  const failures = results.flatMap((r) => (r.status === 'rejected' ? [r.reason as unknown] : []));
  if (failures.length > 0) {
    await stopAll();
    throw new AggregateError(failures, `global setup: local DynamoDB engines failed to start:\n${failures.map(String).join('\n')}`);
  }

  const [dynamoLocal, dynoxide] = engines as [DynamoEngine, DynamoEngine];
  try {
    project.provide('dynamoLocalEndpoint', assertLoopbackEndpoint(dynamoLocal.endpoint, 'DynamoDB Local endpoint'));
    project.provide('dynoxideEndpoint', assertLoopbackEndpoint(dynoxide.endpoint, 'dynoxide endpoint'));
  } catch (error) {
    await stopAll();
    throw error;
  }
  if (process.env.CAIRN_TEST_VERBOSE) {
    console.log(`[global-setup] DynamoDB Local ${dynamoLocal.endpoint}, dynoxide ${dynoxide.endpoint} (${Date.now() - started} ms)`);
  }
  return stopAll;
}
