import { withSecrets } from '../../shared/config/secrets.js';
import { createDeploymentDepsFromEnv } from './from-env.js';
import { createStepRunner } from './steps.js';

/** Invoked by the promotion state machine (infra/constructs/promotion-workflow.ts), one step per call. */
export const handler = createStepRunner(createDeploymentDepsFromEnv(await withSecrets(process.env)));
