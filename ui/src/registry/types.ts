import type { KeyValue } from '../api/types';

/** MLflow's registry shapes as Cairn serves them (shared/http/serializers.ts), as far as the pages read them. */
export interface ModelVersion {
  name: string;
  version: string;
  creation_timestamp?: number;
  last_updated_timestamp?: number;
  user_id?: string;
  current_stage?: string;
  description?: string;
  source?: string;
  run_id?: string;
  run_link?: string;
  status?: string;
  status_message?: string;
  tags?: KeyValue[];
  /** Only on get, alias and transition answers; search leaves it out, the model's `aliases` say it instead. */
  aliases?: string[];
}

export interface RegisteredModel {
  name: string;
  creation_timestamp?: number;
  last_updated_timestamp?: number;
  user_id?: string;
  description?: string;
  /** The latest version per stage. */
  latest_versions?: ModelVersion[];
  tags?: KeyValue[];
  aliases?: { alias: string; version: string }[];
}

/** Cairn's deployment statuses (shared/domain/deployments/entities.ts). */
export type DeploymentStatus =
  | 'PENDING'
  | 'PENDING_APPROVAL'
  | 'DEPLOYING'
  | 'IN_SERVICE'
  | 'FAILED'
  | 'ROLLED_BACK'
  | 'REJECTED'
  | 'SUPERSEDED'
  | 'NOT_DEPLOYED';

export interface DeploymentStep {
  /** `requested`, `execution-started`, `validated`, `approval-requested`, `approved`, `endpoint-claimed`, ... */
  name: string;
  status: DeploymentStatus;
  timestamp: number;
  message?: string;
}

/** A deployment as `/api/2.0/cairn/deployments/get` answers it (`list` leaves the steps out). */
export interface Deployment {
  deployment_id: string;
  name: string;
  version: string;
  trigger: { alias?: string; stage?: string };
  endpoint_name: string;
  status: DeploymentStatus;
  status_message?: string;
  creation_timestamp: number;
  last_updated_timestamp: number;
  approval_required?: boolean;
  instance_type?: string;
  initial_instance_count?: number;
  sagemaker_model_name?: string;
  endpoint_config_name?: string;
  execution_arn?: string;
  steps?: DeploymentStep[];
}

/** The version tags Cairn keeps in step with a version's latest deployment (version-tags.ts). */
export const DEPLOYMENT_TAGS = {
  status: 'cairn.deployment.status',
  endpoint: 'cairn.deployment.endpoint',
  id: 'cairn.deployment.id',
  message: 'cairn.deployment.message',
  updatedAt: 'cairn.deployment.updated_at',
} as const;

/** Model tags written with a deployment policy: where the model deploys and what triggers it. */
export const POLICY_TAGS = { endpoint: 'cairn.deployment.endpoint', triggers: 'cairn.deployment.triggers' } as const;

/** Cairn's bookkeeping tags, shown as deployment facts rather than among the user's tags. */
export const isDeploymentTag = (key: string) => key.startsWith('cairn.deployment.');

/** MLflow's legacy stages, in the order its UI offers them. */
export const STAGES = ['None', 'Staging', 'Production', 'Archived'] as const;
export type Stage = (typeof STAGES)[number];
