import { describe, expect, it } from 'vitest';
import { SAGEMAKER_GENERIC_ERROR, SAGEMAKER_NOT_FOUND_CAUSE, SAGEMAKER_RETRYABLE_ERRORS, STATES, STEP_ERRORS } from '../../shared/workflows/promotion.js';
import { stateMachineDefinition } from '../support/asl-from-template.js';
import { synthesizePromotion } from './promotion-fixture.js';

// The promotion state machine's definition (ASL), state by state. Its IAM is in promotion-roles.test.ts, the
// Lambdas around it in promotion-functions.test.ts.

interface AslState {
  Type: string;
  Resource?: string;
  Next?: string;
  End?: boolean;
  Default?: string;
  Parameters?: Record<string, unknown>;
  ResultPath?: string | null;
  ResultSelector?: Record<string, unknown>;
  TimeoutSeconds?: number;
  Seconds?: number;
  QueryLanguage?: string;
  Retry?: { ErrorEquals: string[]; IntervalSeconds?: number; MaxAttempts?: number; BackoffRate?: number; MaxDelaySeconds?: number }[];
  Catch?: { ErrorEquals: string[]; ResultPath?: string | null; Next: string }[];
  Choices?: Record<string, unknown>[];
  ItemsPath?: string;
  ItemSelector?: Record<string, unknown>;
  ItemProcessor?: { StartAt: string; States: Record<string, AslState> };
}

/** Every state, those of Map item processors included, by name. */
const allStates = (states: Record<string, AslState>): Record<string, AslState> =>
  Object.entries(states).reduce<Record<string, AslState>>(
    (all, [name, state]) => ({ ...all, [name]: state, ...(state.ItemProcessor ? allStates(state.ItemProcessor.States) : {}) }),
    {},
  );

const isSageMakerTask = (state: AslState) => state.Type === 'Task' && /:aws-sdk:sagemaker:/.test(state.Resource ?? '');
const STEP_FUNCTION_ARN = /^arn:aws:lambda:us-east-1:123456789012:function:\w*PromotionSteps\w*$/;

describe('promotion workflow', () => {
  // Prepare (shared)
  const { api } = synthesizePromotion();
  const definition = stateMachineDefinition(api) as { StartAt: string; States: Record<string, AslState>; TimeoutSeconds: number };
  const states = allStates(definition.States);
  const state = (name: string): AslState => {
    const found = states[name];
    if (!found) throw new Error(`no state ${name}`);
    return found;
  };

  describe('definition', () => {
    it('has every state the contract names, and starts at Init', () => {
      // Assess
      expect(Object.keys(states)).toEqual(expect.arrayContaining(Object.values(STATES)));
      expect(definition.StartAt).toBe(STATES.init);
      expect(state(STATES.init)).toMatchObject({ Type: 'Pass', Result: { endpointRequested: false }, ResultPath: '$.progress' });
    });

    it('uses JSONPath only, never JSONata', () => {
      // Assess
      expect(definition).not.toHaveProperty('QueryLanguage');
      expect(Object.values(states).filter((s) => s.QueryLanguage !== undefined)).toEqual([]);
      expect(JSON.stringify(definition)).not.toContain('JSONata');
    });

    it('leads every transition to a state that exists', () => {
      // Prepare
      const targets = Object.values(states).flatMap((s) => [
        ...(s.Next ? [s.Next] : []),
        ...(s.Default ? [s.Default] : []),
        ...(s.Catch ?? []).map((c) => c.Next),
        ...(s.Choices ?? []).map((c) => c.Next as string),
      ]);

      // Assess
      expect(targets.filter((name) => !(name in states))).toEqual([]);
    });

    it('retries throttling with backoff and catches every error on every SageMaker call', () => {
      // Prepare
      const tasks = Object.entries(states).filter(([, s]) => isSageMakerTask(s));

      // Assess
      expect(tasks.map(([name]) => name).sort()).toEqual(
        [
          STATES.createModel,
          STATES.createEndpointConfig,
          STATES.findEndpoint,
          STATES.createEndpoint,
          STATES.updateEndpoint,
          STATES.describeEndpoint,
          STATES.deleteBrokenEndpoint,
          STATES.deleteEndpoint,
          STATES.deleteConfig,
          STATES.deleteModel,
        ].sort(),
      );
      for (const [name, task] of tasks) {
        expect(task.Retry, name).toContainEqual(
          expect.objectContaining({ ErrorEquals: SAGEMAKER_RETRYABLE_ERRORS, BackoffRate: 2, MaxAttempts: 6, JitterStrategy: 'FULL' }),
        );
        expect(task.Retry, name).toContainEqual(expect.objectContaining({ ErrorEquals: [SAGEMAKER_GENERIC_ERROR], MaxAttempts: 3 }));
        expect(task.Catch?.some((c) => c.ErrorEquals.includes('States.ALL')), name).toBe(true);
      }
    });

    it('catches every error of every step Lambda, with CDK\'s Lambda service retries and TemporarilyUnavailable retried', () => {
      // Prepare
      const steps = Object.entries(states).filter(([, s]) => s.Type === 'Task' && !isSageMakerTask(s));

      // Assess
      expect(steps.map(([name]) => name).sort()).toEqual(
        [
          STATES.validate,
          STATES.waitForApproval,
          STATES.claim,
          STATES.recordSuperseded,
          STATES.recordOutcome,
          STATES.recordFailure,
          STATES.recordRejected,
        ].sort(),
      );
      for (const [name, step] of steps) {
        expect(step.Catch?.some((c) => c.ErrorEquals.includes('States.ALL')), name).toBe(true);
        expect(step.Retry?.map((r) => r.ErrorEquals), name).toEqual(
          expect.arrayContaining([expect.arrayContaining(['Lambda.ServiceException']), [STEP_ERRORS.temporarilyUnavailable]]),
        );
      }
    });

    it('sends the failures of every task to RecordFailure with the error at $.error, and RecordFailure\'s own to DeploymentFailed', () => {
      // Prepare
      const tasks = Object.entries(definition.States).filter(([name, s]) => s.Type === 'Task' && name !== STATES.deleteEndpoint);

      // Assess
      for (const [name, task] of tasks) {
        const catchAll = task.Catch?.find((c) => c.ErrorEquals.includes('States.ALL'));
        if (name === STATES.recordFailure) expect(catchAll?.Next).toBe(STATES.failed);
        // DescribeEndpoint's "not found" leads to CreateEndpoint; its other errors to RecordFailure (EndpointMissing?).
        else if (name === STATES.findEndpoint) expect(catchAll?.Next).toBe(STATES.endpointMissing);
        else expect(catchAll, name).toEqual({ ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: STATES.recordFailure });
      }
      expect(state(STATES.recordFailure).Parameters).toEqual({
        step: 'fail',
        'deploymentId.$': '$.deploymentId',
        'error.$': '$.error',
        'progress.$': '$.progress',
      });
    });

    it('invokes the step Lambda with the contract\'s payloads, keeping results where the next states read them', () => {
      // Assess
      expect(state(STATES.validate)).toMatchObject({
        Resource: expect.stringMatching(STEP_FUNCTION_ARN),
        Parameters: { step: 'validate', 'deploymentId.$': '$.deploymentId' },
        ResultPath: '$.plan',
      });
      expect(state(STATES.claim)).toMatchObject({ Parameters: { step: 'claim', 'deploymentId.$': '$.deploymentId' }, ResultPath: '$.claim' });
      expect(state(STATES.recordSuperseded)).toMatchObject({ Parameters: { step: 'supersede', 'deploymentId.$': '$.deploymentId' }, Next: STATES.supersededEnd });
      expect(state(STATES.recordOutcome)).toMatchObject({
        Parameters: { step: 'finish', 'deploymentId.$': '$.deploymentId', 'endpoint.$': '$.endpoint' },
        ResultPath: '$.outcome',
      });
      expect(state(STATES.recordRejected)).toMatchObject({ Parameters: { step: 'reject', 'error.$': '$.error' }, Next: STATES.rejectedEnd });
    });

    it('waits for approval with a task token, for 7 days, and sends a rejection to RecordRejected', () => {
      // Prepare
      const wait = state(STATES.waitForApproval);

      // Assess
      expect(wait.Resource).toBe('arn:aws:states:::lambda:invoke.waitForTaskToken');
      expect(wait.Parameters).toEqual({
        FunctionName: expect.stringMatching(STEP_FUNCTION_ARN),
        Payload: { step: 'await-approval', 'deploymentId.$': '$.deploymentId', 'taskToken.$': '$$.Task.Token' },
      });
      expect(wait.TimeoutSeconds).toBe(7 * 24 * 3600);
      expect(wait.Catch).toContainEqual({ ErrorEquals: [STEP_ERRORS.rejected], ResultPath: '$.error', Next: STATES.recordRejected });
      expect(state(STATES.approvalRequired)).toMatchObject({
        Choices: [{ Variable: '$.plan.approvalRequired', BooleanEquals: true, Next: STATES.waitForApproval }],
        Default: STATES.claim,
      });
    });

    it('retries ClaimEndpoint while the endpoint is busy, backing off to 5 minutes, for hours', () => {
      // Prepare
      const busy = state(STATES.claim).Retry?.find((r) => r.ErrorEquals.includes(STEP_ERRORS.endpointBusy));

      // Assess
      expect(busy).toMatchObject({ ErrorEquals: [STEP_ERRORS.endpointBusy], IntervalSeconds: 30, BackoffRate: 1.5, MaxDelaySeconds: 300 });
      expect((busy?.MaxAttempts ?? 0) * 300).toBeGreaterThanOrEqual(4 * 3600);
    });

    it('creates the model and endpoint config from the plan, discarding their results', () => {
      // Assess
      expect(state(STATES.createModel)).toMatchObject({
        Resource: 'arn:aws:states:::aws-sdk:sagemaker:createModel',
        Parameters: {
          'ModelName.$': '$.plan.createModel.ModelName',
          'ExecutionRoleArn.$': '$.plan.createModel.ExecutionRoleArn',
          'PrimaryContainer.$': '$.plan.createModel.PrimaryContainer',
        },
        ResultPath: null,
        Next: STATES.createEndpointConfig,
      });
      expect(state(STATES.createEndpointConfig)).toMatchObject({
        Parameters: {
          'EndpointConfigName.$': '$.plan.createEndpointConfig.EndpointConfigName',
          'ProductionVariants.$': '$.plan.createEndpointConfig.ProductionVariants',
        },
        ResultPath: null,
        Next: STATES.findEndpoint,
      });
    });

    it('creates the endpoint when DescribeEndpoint finds none, and updates it blue/green once it is stable', () => {
      // Assess
      expect(state(STATES.findEndpoint).Catch).toEqual([{ ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: STATES.endpointMissing }]);
      expect(state(STATES.endpointMissing)).toEqual({
        Type: 'Choice',
        Choices: [
          {
            And: [
              { Variable: '$.error.Cause', IsString: true },
              { Variable: '$.error.Cause', StringMatches: SAGEMAKER_NOT_FOUND_CAUSE },
            ],
            Next: STATES.createEndpoint,
          },
        ],
        Default: STATES.recordFailure,
      });
      expect(state(STATES.existingEndpointStable).Default).toBe(STATES.waitForExistingEndpoint);
      expect(JSON.stringify(state(STATES.existingEndpointStable).Choices)).toContain(`"Next":"${STATES.updateEndpoint}"`);
      expect(state(STATES.waitForExistingEndpoint)).toMatchObject({ Seconds: 30, Next: STATES.findEndpoint });
      expect(state(STATES.updateEndpoint).Parameters).toEqual({
        'EndpointName.$': '$.plan.endpointName',
        'EndpointConfigName.$': '$.plan.createEndpointConfig.EndpointConfigName',
        'DeploymentConfig.$': '$.plan.deploymentConfig',
      });
      for (const name of [STATES.createEndpoint, STATES.updateEndpoint]) {
        expect(state(name)).toMatchObject({ ResultSelector: { endpointRequested: true }, ResultPath: '$.progress', Next: STATES.waitForEndpoint });
      }
    });

    it('polls the endpoint until it is InService or Failed, then records the outcome', () => {
      // Prepare
      const settled = JSON.stringify(state(STATES.endpointSettled).Choices);

      // Assess
      expect(state(STATES.waitForEndpoint)).toMatchObject({ Seconds: 30, Next: STATES.describeEndpoint });
      expect(state(STATES.describeEndpoint)).toMatchObject({ ResultPath: '$.endpoint', Next: STATES.endpointSettled });
      expect(settled).toContain('"StringEquals":"InService"');
      expect(settled).toContain('"StringEquals":"Failed"');
      expect(settled).toContain(`"Next":"${STATES.recordOutcome}"`);
      expect(state(STATES.endpointSettled).Default).toBe(STATES.waitForEndpoint);
    });

    it('cleans up best effort after the outcome or the failure is recorded, then ends by the recorded status', () => {
      // Assess
      expect(state(STATES.recordOutcome).Next).toBe(STATES.deleteEndpointChoice);
      expect(state(STATES.recordFailure).Next).toBe(STATES.deleteEndpointChoice);
      expect(state(STATES.deleteEndpoint)).toMatchObject({
        Parameters: { 'EndpointName.$': '$.outcome.cleanup.endpointName' },
        Next: STATES.deleteConfigs,
        Catch: [expect.objectContaining({ ErrorEquals: ['States.ALL'], Next: STATES.deleteConfigs })],
      });
      expect(state(STATES.deleteConfigs)).toMatchObject({
        Type: 'Map',
        ItemsPath: '$.outcome.cleanup.endpointConfigNames',
        ItemSelector: { 'name.$': '$$.Map.Item.Value' },
        ResultPath: null,
        Next: STATES.deleteModels,
      });
      expect(state(STATES.deleteModels)).toMatchObject({ Type: 'Map', ItemsPath: '$.outcome.cleanup.modelNames', Next: STATES.inService });
      expect(state(STATES.deleteConfig).Parameters).toEqual({ 'EndpointConfigName.$': '$.name' });
      expect(state(STATES.deleteModel).Parameters).toEqual({ 'ModelName.$': '$.name' });
      expect(state(STATES.inService)).toMatchObject({
        Choices: [{ Variable: '$.outcome.status', StringEquals: 'IN_SERVICE', Next: STATES.deployed }],
        Default: STATES.failed,
      });
      expect(state(STATES.failed)).toMatchObject({ Type: 'Fail', Error: 'DeploymentFailed' });
    });

    it('gives an execution the approval wait plus 12 hours', () => {
      // Assess
      expect(definition.TimeoutSeconds).toBe(7 * 24 * 3600 + 12 * 3600);
    });
  });
});
