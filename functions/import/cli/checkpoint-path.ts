import { createHash } from 'node:crypto';
import { join } from 'node:path';
import type { CliOptions } from './args.js';

/**
 * The checkpoint file of one import: named after a hash of the source, the target and the selection, since what
 * an import with `--since` or `--experiments` marks finished is finished only for that selection.
 */
export const defaultCheckpointPath = (
  dir: string,
  sourceIdentity: string,
  targetIdentity: string,
  options: Pick<CliOptions, 'experimentIds' | 'modelNames' | 'since'>,
): string => {
  const selection = {
    from: sourceIdentity,
    to: targetIdentity,
    experiments: options.experimentIds ? [...options.experimentIds].sort() : null,
    models: options.modelNames ? [...options.modelNames].sort() : null,
    since: options.since ?? null,
  };
  const hash = createHash('sha256').update(JSON.stringify(selection)).digest('hex').slice(0, 16);
  return join(dir, `${hash}.jsonl`);
};
