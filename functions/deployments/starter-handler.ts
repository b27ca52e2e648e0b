import { ENV } from '../../shared/config/env.js';
import { createSfnLauncher } from './sfn-launcher.js';
import { createPromotionStarter } from './promotion-stream.js';
import { createLogger, errorLogger } from '../../shared/observability/logger.js';
import { createDeploymentDepsFromEnv } from './from-env.js';

const stateMachineArn = process.env[ENV.promotionStateMachineArn];
if (!stateMachineArn) throw new Error(`${ENV.promotionStateMachineArn} is not set`);

/** DynamoDB Streams (NEW_IMAGE, new deployment items only): starts one promotion per deployment. */
export const handler = createPromotionStarter(
  createDeploymentDepsFromEnv(),
  createSfnLauncher(stateMachineArn),
  errorLogger(createLogger('cairn-deployments'), 'starting a promotion failed'),
);
