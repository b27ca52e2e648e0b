/**
 * `npm run import --to <URL of Cairn in AWS>`: the deployed API's code path (the Lambda handler behind the API
 * Gateway shim, built from the stack's environment) answers the admin where its table and bucket are, and the
 * command writes there itself, as an operator's AWS credentials would (here the emulators: dynoxide, fauxqs).
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENV } from '../../../shared/config/env.js';
import { createDynamoClient } from '../../../shared/data/dynamo-client.js';
import { ensureTable } from '../../../shared/data/ensure-table.js';
import { startFauxqs, S3_PREFIX, type Fauxqs } from '../../support/fauxqs.js';
import { startLambdaShim, type LambdaShim } from '../../support/lambda-shim.js';
import { writeTemporaryMlruns, type WrittenMlruns } from '../../support/mlruns-fixture/harness.js';
import { RICH_IDS } from '../../support/mlruns-fixture/rich.js';
import { endpointOf } from '../../support/test-api.js';
import { basicAuth, runCli } from './cli-harness.js';

describe('npm run import into Cairn in AWS, by its URL', () => {
  const admin = { username: 'aws-admin', password: randomBytes(18).toString('base64url') };
  const tableName = `cairn-import-aws-${randomUUID()}`;
  let fauxqs: Fauxqs;
  let shim: LambdaShim;
  let mlruns: WrittenMlruns;
  let bucket: string;
  beforeAll(async () => {
    fauxqs = await startFauxqs();
    bucket = await fauxqs.createBucket();
    const dynamo = createDynamoClient({ endpoint: endpointOf('dynoxide') });
    await ensureTable({ client: dynamo, tableName });
    dynamo.destroy();
    shim = await startLambdaShim({
      AWS_REGION: 'eu-west-1',
      [ENV.tableName]: tableName,
      [ENV.dynamoEndpoint]: endpointOf('dynoxide'),
      [ENV.artifactBucket]: bucket,
      [ENV.artifactPrefix]: S3_PREFIX,
      [ENV.s3Endpoint]: fauxqs.endpoint,
      [ENV.artifactDownloads]: 'stream',
      [ENV.adminUsername]: admin.username,
      [ENV.adminPassword]: admin.password,
      POWERTOOLS_LOG_LEVEL: 'ERROR',
    });
    mlruns = await writeTemporaryMlruns();
  });
  afterAll(async () => {
    await shim?.close();
    await fauxqs?.close();
    await mlruns?.remove();
  });

  it('writes into the stack table and bucket the API names, and the API answers the runs and files', async () => {
    // Prepare
    const args = ['--from', mlruns.folder, '--to', shim.url, '--checkpoint', `${mlruns.folder}-checkpoint.jsonl`, '--username', admin.username, '--password', admin.password];

    // Act
    const imported = await runCli(args);
    const verified = await runCli([...args, '--verify']);

    // Assess
    expect(imported.stderr).toBe('');
    expect(imported.stdout.split('\n')[0]).toBe(
      `Importing mlruns folder ${mlruns.folder} into Cairn ${shim.url} (table ${tableName} and bucket ${bucket}/${S3_PREFIX} in eu-west-1, with your AWS credentials)`,
    );
    expect(imported.code).toBe(0);
    expect(verified.stdout).toMatch(/^Source and Cairn match: compared 5 experiments, 8 runs, 100,012 metric points, 10 files/m);
    expect(verified.code).toBe(0);
    const headers = { authorization: basicAuth(admin.username, admin.password) };
    const got = await fetch(`${shim.url}/api/2.0/mlflow/runs/get?run_id=${RICH_IDS.trainingRun}`, { headers });
    expect(((await got.json()) as { run: { info: { artifact_uri: string } } }).run.info.artifact_uri).toBe(
      `mlflow-artifacts:/418327502894961023/${RICH_IDS.trainingRun}/artifacts`,
    );
    const file = await fetch(`${shim.url}/get-artifact?${new URLSearchParams({ run_uuid: RICH_IDS.trainingRun, path: 'données/é file.txt' }).toString()}`, { headers });
    expect(await file.text()).toBe('contenu ü');
  });
});
