import { parseArgs } from 'node:util';

/** `npm run import -- …`: the flags, read and checked before anything is opened. */

export type Credentials = { kind: 'basic'; username: string; password: string } | { kind: 'bearer'; token: string };

export interface CliOptions {
  /** An MLflow server's URL or an mlruns folder. */
  readonly from: string;
  /** A Cairn data folder or a Cairn server's URL. */
  readonly to: string;
  readonly experimentIds?: readonly string[];
  readonly modelNames?: readonly string[];
  readonly since?: number;
  readonly verify: boolean;
  readonly checkpoint?: string;
  /** From the flags; each end falls back to its own environment variables (credentials.ts). */
  readonly credentials?: Credentials;
  /** Seconds between plain log lines when the output is not a terminal. */
  readonly logIntervalSeconds: number;
  /** Plain lines even on a terminal. */
  readonly plain: boolean;
  /** With an mlruns folder: where its server kept `mlflow-artifacts:` files (MLflow's `--artifacts-destination`). */
  readonly artifactsDestination?: string;
}

export const EXIT = { ok: 0, failure: 1, conflicts: 2, differences: 3, interrupted: 130 } as const;

export const HELP = `Usage: npm run import -- --from <MLflow server URL | mlruns folder> [--to <Cairn data folder | Cairn URL>] [options]

Brings a team's MLflow history into Cairn with every id kept: experiments, runs with their full metric
histories, params, tags, datasets and files, logged models, registered models with every version, stage,
alias and tag. Re-running continues where an interrupted import stopped and duplicates nothing.

  --from <source>        an MLflow server (http:// or https://; credentials from the flags below or
                         MLFLOW_TRACKING_USERNAME / MLFLOW_TRACKING_PASSWORD / MLFLOW_TRACKING_TOKEN),
                         or an mlruns folder of MLflow's file store
  --artifacts-destination <folder>
                         with an mlruns folder of a server run with --serve-artifacts: its
                         --artifacts-destination (where mlflow-artifacts:/ files are; MLflow's default is
                         ./mlartifacts where the server ran)
  --to <target>          a Cairn data folder (default .cairn, the folder npm start uses; a running npm start
                         on it is used as it runs), or a Cairn server's URL: an admin's credentials (the flags
                         below or CAIRN_USERNAME / CAIRN_PASSWORD / CAIRN_TOKEN) let the importer ask it where
                         it keeps its data, then it writes there itself: into the local engine of an npm start,
                         or in AWS into its DynamoDB table and S3 bucket with your own AWS credentials (the
                         default credential chain), which need write access to both
  --experiments <ids>    only these experiments (comma-separated), with their runs and logged models
  --models <names>       only these registered models (comma-separated); with --experiments alone no
                         registered model is imported, with --models alone no experiment
  --since <time>         only what changed at or after this time (ISO 8601 date or epoch milliseconds)
  --verify               import nothing: compare the source with Cairn (per experiment its counts, every
                         param and tag, each metric's point count and checksum, every file's size and
                         SHA-256, the registry's versions, stages, aliases, tags and descriptions) and print
                         every difference; give the same selection as the import
  --checkpoint <file>    where finished items are remembered (JSON lines); default: in the data folder
                         (<folder>/imports/<hash>.jsonl), or .cairn-import/<hash>.jsonl in the current folder
                         for a URL; the hash is of source, target and selection. Delete it to start over.
  --username <name>      with --password: HTTP Basic credentials
  --password <password>
  --token <token>        a Bearer token (an MLflow token, or a Cairn token)
                         The flags are used for every end that is a URL; without them each end reads its own
                         variables (MLFLOW_TRACKING_* for the source, CAIRN_* for the target).
  --log-interval <s>     seconds between progress lines when the output is not a terminal (default 5)
  --plain                progress as plain lines even on a terminal
  -h, --help             this text

Exit status: 0 done (or, with --verify, no difference); 1 failure (nothing is lost: re-run to resume);
2 done, but with conflicts (items Cairn already holds differently, listed with their reasons and skipped);
3 (--verify) differences found; 130 interrupted.`;

export class UsageError extends Error {
  override readonly name = 'UsageError';
}

export type ParsedArgs = { help: true } | ({ help: false } & CliOptions);

export const parseCliArgs = (argv: readonly string[]): ParsedArgs => {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: {
        from: { type: 'string' },
        to: { type: 'string' },
        experiments: { type: 'string', multiple: true },
        models: { type: 'string', multiple: true },
        since: { type: 'string' },
        verify: { type: 'boolean' },
        checkpoint: { type: 'string' },
        username: { type: 'string' },
        password: { type: 'string' },
        token: { type: 'string' },
        'log-interval': { type: 'string' },
        plain: { type: 'boolean' },
        'artifacts-destination': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
  if (values.help) return { help: true };
  if (!values.from) throw new UsageError('--from is required: an MLflow server URL or an mlruns folder');
  const logIntervalSeconds = values['log-interval'] === undefined ? 5 : Number(values['log-interval']);
  if (!Number.isFinite(logIntervalSeconds) || logIntervalSeconds <= 0) throw new UsageError(`--log-interval must be a positive number of seconds, not ${values['log-interval']}`);
  const experimentIds = listOf(values.experiments, '--experiments');
  const modelNames = listOf(values.models, '--models');
  const credentials = credentialsOf(values.username, values.password, values.token);
  return {
    help: false,
    from: values.from,
    to: values.to ?? '.cairn',
    ...(experimentIds ? { experimentIds } : {}),
    ...(modelNames ? { modelNames } : {}),
    ...(values.since === undefined ? {} : { since: parseSince(values.since) }),
    verify: values.verify ?? false,
    ...(values.checkpoint ? { checkpoint: values.checkpoint } : {}),
    ...(credentials ? { credentials } : {}),
    logIntervalSeconds,
    plain: values.plain ?? false,
    ...(values['artifacts-destination'] ? { artifactsDestination: values['artifacts-destination'] } : {}),
  };
};

/** `--experiments 1,2 --experiments 3`: every name once, in the order given. */
const listOf = (values: string[] | undefined, flag: string): string[] | undefined => {
  if (values === undefined) return undefined;
  const names = [...new Set(values.flatMap((value) => value.split(',')).map((name) => name.trim()).filter((name) => name !== ''))];
  if (names.length === 0) throw new UsageError(`${flag} needs at least one name`);
  return names;
};

/** Epoch milliseconds, or an ISO 8601 date or time (a date alone is midnight UTC, as Date.parse reads it). */
export const parseSince = (text: string): number => {
  const trimmed = text.trim();
  const value = /^\d+$/.test(trimmed) ? Number(trimmed) : /^\d{4}-\d{2}-\d{2}/.test(trimmed) ? Date.parse(trimmed) : Number.NaN;
  if (!Number.isSafeInteger(value)) throw new UsageError(`--since takes an ISO 8601 date (2024-05-01, 2024-05-01T12:00:00Z) or epoch milliseconds, not '${text}'`);
  return value;
};

const credentialsOf = (username: string | undefined, password: string | undefined, token: string | undefined): Credentials | undefined => {
  if (token !== undefined && (username !== undefined || password !== undefined)) throw new UsageError('give either --token or --username with --password, not both');
  if (token !== undefined) return { kind: 'bearer', token };
  if ((username === undefined) !== (password === undefined)) throw new UsageError('--username and --password go together');
  return username !== undefined && password !== undefined ? { kind: 'basic', username, password } : undefined;
};
