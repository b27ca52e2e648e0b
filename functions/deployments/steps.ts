import type { DeploymentDeps } from '../../shared/domain/deployments/ports.js';
import {
  awaitApprovalStep,
  claimStep,
  failStep,
  finishStep,
  rejectStep,
  supersedeStep,
  validateStep,
} from '../../shared/domain/deployments/steps.js';
import { MlflowError } from '../../shared/errors/index.js';
import { STEP_ERRORS, StepInputSchema } from '../../shared/workflows/promotion.js';

/** Names the error so Step Functions' Retry sees it: a busy or throttled table is worth another try. */
const retryable = (error: unknown) => {
  if (error instanceof MlflowError && error.errorCode === 'TEMPORARILY_UNAVAILABLE') {
    const renamed = new Error(error.message, { cause: error });
    renamed.name = STEP_ERRORS.temporarilyUnavailable;
    return renamed;
  }
  return error;
};

/** The promotion state machine's Lambda step: parse the payload, run the step, return its output. */
export const createStepRunner = (deps: DeploymentDeps) => async (payload: unknown): Promise<unknown> => {
  const input = StepInputSchema.parse(payload);
  try {
    switch (input.step) {
      case 'validate':
        return await validateStep(deps, input.deploymentId);
      case 'await-approval':
        await awaitApprovalStep(deps, input.deploymentId, input.taskToken);
        return {};
      case 'claim':
        return await claimStep(deps, input.deploymentId);
      case 'supersede':
        await supersedeStep(deps, input.deploymentId);
        return {};
      case 'finish':
        return await finishStep(deps, input.deploymentId, input.endpoint);
      case 'fail':
        return await failStep(deps, input.deploymentId, input.error, input.progress);
      case 'reject':
        await rejectStep(deps, input.deploymentId, input.error);
        return {};
    }
  } catch (error) {
    throw retryable(error);
  }
};
