/**
 * Registered scorers (MLflow 3). A scorer name of an experiment is a head item in the experiment's scorer
 * partition; its versions live in a partition of the scorer's id, so a name deleted and registered again (a new
 * id) never meets the old versions, even while they are still being removed.
 *   SCORERS#<experimentId> / SCORER#<name>        head: scorer id, latest version, revision
 *   SCORER#<scorerId>      / V#<version, 10 digits> one version
 */
export const scorerHeadPartition = (experimentId: string) => `SCORERS#${experimentId}`;
export const SCORER_HEAD_PREFIX = 'SCORER#';
export const scorerHeadKey = (experimentId: string, name: string) =>
  ({ pk: scorerHeadPartition(experimentId), sk: `${SCORER_HEAD_PREFIX}${name}` }) as const;

export const scorerVersionPartition = (scorerId: string) => `SCORER#${scorerId}`;
export const SCORER_VERSION_PREFIX = 'V#';
export const scorerVersionKey = (scorerId: string, version: number) =>
  ({ pk: scorerVersionPartition(scorerId), sk: `${SCORER_VERSION_PREFIX}${String(version).padStart(10, '0')}` }) as const;
