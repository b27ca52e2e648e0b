import type { CatalogItem } from '../kernel/catalog.js';
import type { Grant } from '../auth/entities.js';
import type { Deployment, DeploymentPolicy, DeploymentTrigger } from '../deployments/entities.js';
import type { LoggedModel } from '../tracking/entities.js';
import type { ModelVersion, RegisteredModel } from './entities.js';
import type { RegistryEvent, RegistryEventType } from './events.js';

/**
 * What the registry's rules need from the outside, in the registry's words. shared/data/registry implements
 * the stores on DynamoDB; test/support/fakes/registry.ts in memory.
 */

/** A version as stored: its model's name is joined on read, since a rename moves nothing. */
export type StoredVersion = Omit<ModelVersion, 'name'>;

/** Fields of the model item a change sets; `tags` and `aliases` whole only when a model is created. */
export type ModelFields = Omit<RegisteredModel, 'modelId' | 'eventSeq'>;

export interface RegistryEventSpec {
  type: RegistryEventType;
  version?: number;
  data: Record<string, unknown>;
}

/**
 * One change to one registered model, made as a whole or not at all, with the events it records. Tag and
 * alias keys are whatever a client chose (dots, `__proto__`), so they travel as entries, never as paths.
 */
export interface RegistryChange<T> {
  /** Model fields to set; on a model that does not exist yet this creates it (every field must be given). */
  set?: Partial<ModelFields>;
  /** Marks the model deleted; its items are purged afterwards (RegistryStore.purgeModel). */
  deleteModel?: boolean;
  setTags?: readonly { key: string; value: string }[];
  removeTags?: readonly string[];
  setAliases?: readonly { alias: string; version: number }[];
  removeAliases?: readonly string[];
  /** The name becomes this model's; the change fails with RegisteredModelNameTaken when another holds it. */
  claimName?: string;
  /** The name, held by this model, is free again. */
  releaseName?: string;
  /** Versions written whole: a new one must not exist yet, an existing one must still exist. */
  versions?: readonly { version: StoredVersion; isNew: boolean }[];
  /** The model's deployment policy, which lives and goes with the model. */
  deploymentPolicy?: { put: DeploymentPolicy } | { remove: true };
  /** A deployment the change asks for (PromotionPlanner), recorded with it. */
  promotion?: PlannedPromotion;
  /** Grants written with the change (the creator's MANAGE on a new model), created or replaced. */
  grants?: readonly Grant[];
  events: RegistryEventSpec[];
  result: T;
}

/** A name another registered model holds: the caller words it (MLflow's RESOURCE_ALREADY_EXISTS). */
export class RegisteredModelNameTaken extends Error {
  constructor(readonly modelName: string) {
    super(`Registered model name '${modelName}' is taken.`);
    this.name = 'RegisteredModelNameTaken';
  }
}

export type ChangePlan<T> = (model: RegisteredModel | undefined) => Promise<RegistryChange<T>> | RegistryChange<T>;

/**
 * The registry as searches read it (kernel/catalog.ts): exact, every change acknowledged before the read in it,
 * with the moves of each item's sort fields. Versions of models being purged are left out.
 */
export interface RegistryCatalog {
  readonly version: readonly number[];
  readonly models: readonly CatalogItem<RegisteredModel>[];
  /** Every version, deleted ones included, with its model's current name (a version's moves are its own). */
  readonly versions: readonly CatalogItem<ModelVersion>[];
  model(modelId: string): CatalogItem<RegisteredModel> | undefined;
  /** The versions of a model, deleted ones included, in no order. */
  versionsOf(modelId: string): readonly ModelVersion[];
}

export interface RegistryStore {
  newModelId(): string;
  getModel(modelId: string): Promise<RegisteredModel | undefined>;
  getModelByName(name: string): Promise<RegisteredModel | undefined>;
  /** Every version of a model, deleted ones included, by version number. */
  listVersions(model: RegisteredModel): Promise<ModelVersion[]>;
  getVersion(model: RegisteredModel, version: number): Promise<ModelVersion | undefined>;
  /** Every registered model, by name. */
  listModels(): Promise<RegisteredModel[]>;
  /** Every version of the given models, with each model's current name. */
  listAllVersions(models: RegisteredModel[]): Promise<ModelVersion[]>;
  /** The registry as searches read it. */
  catalog(): Promise<RegistryCatalog>;
  /**
   * Runs `plan` on the model as it is now (undefined when missing) and makes its change atomically with its
   * events, which get the model's next positions. A concurrent change to the model makes `plan` run again on
   * the newer model; an error `plan` throws ends the change with nothing written.
   */
  change<T>(modelId: string, plan: ChangePlan<T>): Promise<T>;
  /**
   * Whether `change` can be made as one change: the store's changes are bounded (one DynamoDB transaction), so a
   * use case writing many versions splits them by this (transition-stage archiving a stage's versions).
   */
  fits(change: RegistryChange<unknown>): boolean;
  /** Removes what is left of a deleted model (versions, aliases, policy). */
  purgeModel(modelId: string): Promise<void>;
}

/** Reading the registry-wide event log in order, for the dispatcher and for tests. */
export interface RegistryEventLog {
  /** Events whose logPosition is after `cursor` (all when undefined), oldest first, at most `limit`. */
  listAfter(cursor: string | undefined, limit: number): Promise<RegistryEvent[]>;
}

/** The event log, and one model's events in order. */
export interface RegistryEvents extends RegistryEventLog {
  forModel(modelId: string): Promise<RegistryEvent[]>;
}

/** What a version created from a logged model needs of it: its files and run, and a tag naming the version. */
export interface LoggedModelLinks {
  get(modelId: string): Promise<Pick<LoggedModel, 'modelId' | 'artifactUri' | 'sourceRunId' | 'tags'> | undefined>;
  setTags(modelId: string, tags: { key: string; value: string }[], now: number): Promise<void>;
}

/** A deployment an alias or stage change asks for, recorded in the same change. */
export interface PlannedPromotion {
  deployment: Deployment;
  /** The endpoint whose latest request this becomes (absent where nothing deploys). */
  requestEndpoint?: string;
  /** Tags the version gets in the same change, mirroring the deployment. */
  versionTags: Record<string, string>;
}

/** Asked by alias and stage changes: does this change deploy, and what does it record? (shared/domain/deployments) */
export interface PromotionPlanner {
  plan(model: RegisteredModel, version: ModelVersion, trigger: DeploymentTrigger, now: number): Promise<PlannedPromotion | undefined>;
}

/** Every port of the registry's use cases; each takes only the ones it uses. */
export interface RegistryPorts {
  readonly registry: RegistryStore;
  readonly registryEvents: RegistryEvents;
  readonly loggedModels: LoggedModelLinks;
  /** Absent: alias and stage changes deploy nothing. */
  readonly promotions?: PromotionPlanner;
  readonly now: () => number;
}
