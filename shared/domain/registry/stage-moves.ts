import type { ModelVersion, RegisteredModel, Stage } from './entities.js';
import type { PlannedPromotion, RegistryChange, RegistryPorts, RegistryEventSpec, StoredVersion } from './ports.js';
import { eventModelTags } from './registered-models.js';
import { modelVersionNotFound, registeredModelNotFound } from './validation.js';

/**
 * transition-stage as registry changes: one, as long as one change holds it; with archive_existing_versions and
 * more versions in the stage than that, several.
 *
 * MLflow's SQL store archives every other version in the stage and moves the version in one database
 * transaction, however many there are. A registry change here is one DynamoDB transaction (at most 100 items),
 * and each version it rewrites takes three of them: the version's item, its catalog entry and its event. The
 * catalog's own part is already one numbered change for the whole transaction (one head update and one change
 * item listing every entry key it wrote, shared/data/catalog/journal.ts), so folding the versions' catalog
 * changes together saves nothing more; the entries are one item per version because searches load, page and
 * order by them one by one. So the work is split into steps, each a change of its own:
 *
 * - a step is planned on the model as it is when the step runs: the version, and every other version in the
 *   stage, read inside the plan. The store lands a change only if the model is unchanged since (its revision
 *   guard, shared/data/registry/mutate.ts), so a step never acts on a stale read and never overwrites a
 *   concurrent change (a tag set meanwhile); it is planned again instead;
 * - when the whole transition fits, it is the last step: the version moved and the remaining versions archived
 *   in one change, exactly as the transition always was (and still is, up to 31 other versions in the stage);
 * - otherwise the step archives as many of the stage's other versions (lowest numbers first) as a change holds,
 *   with one MODEL_VERSION_STAGE_TRANSITIONED event each, and the next step plans again.
 *
 * Every archive lands with its event and its catalog entry in its own transaction, so each is recorded exactly
 * once and searches see the table's state after each step. A transition cut off between steps leaves some
 * versions archived (each as if archived alone) and the version not yet moved, every version in one stage: the
 * same request again archives the rest and moves it. The version moves only in a change that saw no other
 * version in the stage, so two transitions of one model's versions at once end as if made one after the other:
 * the later one's version alone in the stage, the other archived.
 */

type Deps = Pick<RegistryPorts, 'registry' | 'now'>;

/** A transition as the request asked it, its version checked and its promotion planned. */
export interface StageMove {
  readonly name: string;
  readonly modelId: string;
  readonly version: number;
  readonly stage: Stage;
  readonly archiveExisting: boolean;
  readonly promotion?: PlannedPromotion;
}

/** What a step did: archived some versions (more steps follow), or made the move (the model as it planned it). */
type Step = { readonly done: false } | { readonly done: true; readonly model: RegisteredModel; readonly version: ModelVersion };

const withoutName = ({ name: _, ...version }: ModelVersion): StoredVersion => version;

const transitioned = (model: RegisteredModel, version: number, fromStage: string, toStage: string): RegistryEventSpec => ({
  type: 'MODEL_VERSION_STAGE_TRANSITIONED',
  version,
  data: { name: model.name, version: String(version), from_stage: fromStage, to_stage: toStage, ...eventModelTags(model) },
});

const archivedAt = (versions: readonly ModelVersion[], now: number): StoredVersion[] =>
  versions.map((v) => ({ ...withoutName(v), currentStage: 'Archived' as const, lastUpdatedTimestamp: now }));

/** The last step: the version moved, `others` archived; its event first, as MLflow's order of the changes. */
const moveChange = (model: RegisteredModel, version: ModelVersion, others: readonly ModelVersion[], move: StageMove, now: number): RegistryChange<Step> => {
  const next: StoredVersion = {
    ...withoutName(version),
    currentStage: move.stage,
    lastUpdatedTimestamp: now,
    tags: { ...version.tags, ...move.promotion?.versionTags },
  };
  const archived = archivedAt(others, now);
  return {
    versions: [next, ...archived].map((v) => ({ version: v, isNew: false })),
    ...(move.promotion ? { promotion: move.promotion } : {}),
    set: { lastUpdatedTimestamp: now },
    events: [
      transitioned(model, version.version, version.currentStage, move.stage),
      ...archived.map((v) => transitioned(model, v.version, move.stage, 'Archived')),
    ],
    result: { done: true, model, version: { ...next, name: model.name } },
  };
};

/** A step before the last: `others` archived, the version left as it is. */
const archiveChange = (model: RegisteredModel, others: readonly ModelVersion[], stage: Stage, now: number): RegistryChange<Step> => {
  const archived = archivedAt(others, now);
  return {
    versions: archived.map((v) => ({ version: v, isNew: false })),
    set: { lastUpdatedTimestamp: now },
    events: archived.map((v) => transitioned(model, v.version, stage, 'Archived')),
    result: { done: false },
  };
};

/** How many of `others` (at least one) one archiving change holds: the store's bound, by bisection. */
const archivable = (deps: Deps, model: RegisteredModel, others: readonly ModelVersion[], stage: Stage, now: number): number => {
  let fits = 1;
  let tooMany = others.length + 1;
  while (tooMany - fits > 1) {
    const mid = Math.floor((fits + tooMany) / 2);
    if (deps.registry.fits(archiveChange(model, others.slice(0, mid), stage, now))) fits = mid;
    else tooMany = mid;
  }
  return fits;
};

const planStep = async (deps: Deps, move: StageMove, model: RegisteredModel | undefined): Promise<RegistryChange<Step>> => {
  if (!model) throw registeredModelNotFound(move.name);
  const version = await deps.registry.getVersion(model, move.version);
  if (!version || version.deleted) throw modelVersionNotFound(move.name, move.version);
  const others = move.archiveExisting
    ? (await deps.registry.listVersions(model)).filter((v) => !v.deleted && v.currentStage === move.stage && v.version !== move.version)
    : [];
  const now = deps.now();
  const whole = moveChange(model, version, others, move, now);
  // Nothing left to archive: the move goes as one change even if too large, and the store refuses it as before.
  if (others.length === 0 || deps.registry.fits(whole)) return whole;
  return archiveChange(model, others.slice(0, archivable(deps, model, others, move.stage, now)), move.stage, now);
};

/**
 * Moves the version to the stage, archiving the stage's other versions when asked, in as many steps as needed.
 * Each step but the last archives at least one version, and versions enter the stage only by other moves (or an
 * import), so the steps end.
 */
export const moveToStage = async (deps: Deps, move: StageMove): Promise<{ model: RegisteredModel; version: ModelVersion }> => {
  for (;;) {
    const step = await deps.registry.change<Step>(move.modelId, (model) => planStep(deps, move, model));
    if (step.done) return { model: step.model, version: step.version };
  }
};
