import type { Deployment, ModelVersion, RegisteredModel } from './types';

/** Registry answers in MLflow's wire shapes, for component tests. */
export const T0 = Date.UTC(2026, 0, 5, 9, 0, 0);

export const version = (n: number, extra: Partial<ModelVersion> = {}): ModelVersion => ({
  name: 'churn',
  version: String(n),
  creation_timestamp: T0 + n * 3_600_000,
  last_updated_timestamp: T0 + n * 3_600_000,
  current_stage: 'None',
  description: '',
  source: `mlflow-artifacts:/1/run-${n}/artifacts/model`,
  run_id: `run${n}`.padEnd(32, '0'),
  status: 'READY',
  tags: [],
  run_link: '',
  ...extra,
});

export const CHURN: RegisteredModel = {
  name: 'churn',
  creation_timestamp: T0,
  last_updated_timestamp: T0 + 4 * 3_600_000,
  user_id: 'ada',
  description: 'Predicts **churn** from usage.\n\n- weekly retrain\n- owner: [risk team](https://example.com/risk)',
  latest_versions: [version(3, { current_stage: 'Production' }), version(2, { current_stage: 'Staging' }), version(4)],
  tags: [
    { key: 'team', value: 'risk' },
    { key: 'cairn.deployment.endpoint', value: 'churn-prod' },
    { key: 'cairn.deployment.triggers', value: 'alias:champion,stage:Production' },
    { key: 'mlflow.internal', value: 'x' },
  ],
  aliases: [
    { alias: 'champion', version: '3' },
    { alias: 'challenger', version: '4' },
  ],
};

export const FRAUD: RegisteredModel = {
  name: "fraud's detector",
  creation_timestamp: T0,
  last_updated_timestamp: T0 + 1000,
  latest_versions: [version(1, { name: "fraud's detector" })],
  tags: [],
};

export const deployment = (extra: Partial<Deployment> = {}): Deployment => ({
  deployment_id: 'd0000000000000000000000000000001',
  name: 'churn',
  version: '3',
  trigger: { alias: 'champion' },
  endpoint_name: 'churn-prod',
  status: 'IN_SERVICE',
  status_message: 'serving on churn-prod',
  creation_timestamp: T0,
  last_updated_timestamp: T0 + 600_000,
  approval_required: false,
  instance_type: 'ml.m5.large',
  initial_instance_count: 1,
  ...extra,
});
