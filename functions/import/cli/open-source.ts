import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { ImportSource } from '../../../shared/domain/import/source.js';
import { createMlrunsSource } from '../mlruns-source.js';
import { createRestSource } from '../rest-source.js';
import { UsageError, type CliOptions, type Credentials } from './args.js';

export const isUrl = (text: string) => /^https?:\/\//i.test(text);

/** The flags' credentials, else the named environment variables' (a token wins over a user name). */
export const credentialsFrom = (
  flags: Credentials | undefined,
  env: NodeJS.ProcessEnv,
  names: { username: string; password: string; token: string },
): Credentials | undefined => {
  if (flags) return flags;
  const token = env[names.token];
  if (token) return { kind: 'bearer', token };
  const username = env[names.username];
  const password = env[names.password];
  return username && password !== undefined ? { kind: 'basic', username, password } : undefined;
};

export interface OpenedSource {
  readonly source: ImportSource;
  /** What the mlruns reader skipped as MLflow itself would (a folder without meta.yaml…), for the summary. */
  readonly warnings: string[];
  /** The source as the checkpoint's name knows it: an absolute folder or a URL without credentials. */
  readonly identity: string;
}

/** `--from`: an MLflow server over REST, or an mlruns folder read directly. */
export const openSource = async (options: CliOptions, env: NodeJS.ProcessEnv): Promise<OpenedSource> => {
  const warnings: string[] = [];
  if (isUrl(options.from)) {
    const auth = credentialsFrom(options.credentials, env, {
      username: 'MLFLOW_TRACKING_USERNAME',
      password: 'MLFLOW_TRACKING_PASSWORD',
      token: 'MLFLOW_TRACKING_TOKEN',
    });
    const source = createRestSource({ url: options.from, ...(auth ? { auth } : {}) });
    return { source, warnings, identity: source.description.replace(/^MLflow server /, '') };
  }
  const folder = resolve(options.from);
  const found = await stat(folder).catch(() => undefined);
  if (!found?.isDirectory()) throw new UsageError(`--from ${options.from}: no such folder (give an mlruns folder or an http(s):// MLflow server URL)`);
  const source = createMlrunsSource(folder, {
    onWarning: (message) => warnings.push(message),
    ...(options.artifactsDestination ? { mlflowArtifactsRoot: resolve(options.artifactsDestination) } : {}),
  });
  return { source, warnings, identity: folder };
};
