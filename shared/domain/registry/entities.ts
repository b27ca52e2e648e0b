import type { Tags } from '../tracking/entities.js';

/** Stages of MLflow's (deprecated but used) stage workflow, in canonical spelling. */
export const STAGES = ['None', 'Staging', 'Production', 'Archived'] as const;
export type Stage = (typeof STAGES)[number];
/** The stage of a deleted version, as MLflow's SQL store marks it; such versions are never shown. */
export const DELETED_STAGE = 'Deleted_Internal';

export interface RegisteredModel {
  /** Immutable id: versions, aliases and events refer to it, so a rename moves nothing. */
  modelId: string;
  name: string;
  creationTimestamp: number;
  lastUpdatedTimestamp: number;
  description?: string;
  userId?: string;
  /**
   * The authenticated user who created the model (authorization on; absent otherwise). Cairn's own record:
   * MLflow never answers it, so its serializers leave it out.
   */
  createdBy?: string;
  tags: Tags;
  /** Alias → version number. */
  aliases: Record<string, number>;
  /** Highest version number ever allocated; numbers are never reused while the model exists. */
  latestVersion: number;
  /** Position of the model's last event. */
  eventSeq: number;
}

export interface ModelVersion {
  modelId: string;
  /** The registered model's current name (joined on read). */
  name: string;
  version: number;
  creationTimestamp: number;
  lastUpdatedTimestamp: number;
  userId?: string;
  /** The authenticated user who created the version (authorization on; absent otherwise); never on MLflow's wire. */
  createdBy?: string;
  currentStage: Stage | typeof DELETED_STAGE;
  description?: string;
  source: string;
  runId?: string;
  runLink?: string;
  statusMessage?: string;
  tags: Tags;
  /** Where the files are, when `source` names them indirectly (`models:/<logged model id>`). */
  storageLocation?: string;
  /** The logged model the version was created from. */
  loggedModelId?: string;
  deleted: boolean;
}
