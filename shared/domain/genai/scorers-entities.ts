/**
 * MLflow 3's registered scorers (mlflow/genai/scorers/registry.py, the SQL store's scorers and scorer_versions
 * tables): a scorer is a name in an experiment, with an id of its own and numbered versions, each holding the
 * client's serialized scorer (JSON text the server does not read).
 */
export interface ScorerVersion {
  readonly experimentId: string;
  readonly name: string;
  readonly scorerId: string;
  readonly version: number;
  readonly serializedScorer: string;
  readonly creationTime: number;
}

/**
 * A scorer name of an experiment. `latestVersion` is the highest version that exists (0 when every version was
 * deleted one by one: MLflow keeps the scorer, its id, and numbers the next registration 1).
 */
export interface ScorerHead {
  readonly experimentId: string;
  readonly name: string;
  readonly scorerId: string;
  readonly latestVersion: number;
}

/** Why a deletion found nothing: the name is unknown, or the version (or any version) is. */
export type ScorerDeletion = 'deleted' | 'no-scorer' | 'no-version';

/** shared/data/scorers implements it on DynamoDB. */
export interface ScorerStore {
  /**
   * Stores `serializedScorer` as the next version of the name (1 for a new name, else the highest existing + 1).
   * Concurrent registrations get distinct consecutive numbers: none is lost, none is reused.
   */
  register(experimentId: string, name: string, serializedScorer: string, now: number): Promise<ScorerVersion>;
  head(experimentId: string, name: string): Promise<ScorerHead | undefined>;
  /** The experiment's scorer names in name order (byte order, as the SQL store's ORDER BY scorer_name). */
  heads(experimentId: string): Promise<ScorerHead[]>;
  version(head: ScorerHead, version: number): Promise<ScorerVersion | undefined>;
  /** The latest version of each head that has one, in the heads' order. */
  latestOf(heads: readonly ScorerHead[]): Promise<ScorerVersion[]>;
  /** Every version of the scorer, oldest first. */
  versions(head: ScorerHead): Promise<ScorerVersion[]>;
  /** One version (the scorer stays, even without versions), or with `version` undefined the scorer and all of them. */
  delete(experimentId: string, name: string, version: number | undefined): Promise<ScorerDeletion>;
}
