import { STEP_ERRORS } from '../../workflows/promotion.js';

/**
 * An error a state-machine step ends with. Step Functions matches Retry and Catch on the Lambda error type,
 * which the Node runtime takes from `name`; the names are shared/workflows/promotion.ts's STEP_ERRORS.
 */
export class StepError extends Error {
  constructor(name: (typeof STEP_ERRORS)[keyof typeof STEP_ERRORS], message: string) {
    super(message);
    this.name = name;
  }
}

export const notDeployable = (message: string) => new StepError(STEP_ERRORS.versionNotDeployable, message);
export const endpointBusy = (endpointName: string, holder: string) =>
  new StepError(STEP_ERRORS.endpointBusy, `Endpoint ${endpointName} is being changed by deployment ${holder}; waiting for it.`);
