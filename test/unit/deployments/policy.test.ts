import { describe, expect, it } from 'vitest';
import { buildPolicy, describeTriggers, policyMatches } from '../../../shared/domain/deployments/policy.js';
import { defaultEndpointName, endpointConfigName, sagemakerModelName, SAGEMAKER_NAME_PATTERN } from '../../../shared/domain/deployments/names.js';
import { failureMessage } from '../../../shared/domain/deployments/steps.js';
import { MlflowError } from '../../../shared/errors/index.js';

const model = { modelId: 'm1', name: 'Fraud Detector/v2' };
const local = { allowedRoleArns: [] };
const aws = {
  stateMachineArn: 'arn:aws:states:eu-west-1:123456789012:stateMachine:promotion',
  executionRoleArn: 'arn:aws:iam::123456789012:role/cairn-exec',
  allowedRoleArns: ['arn:aws:iam::123456789012:role/team-exec'],
};

describe('deployment policy', () => {
  it('fills the defaults: alias champion, stage Production, one ml.m5.large, a SageMaker-safe endpoint name', () => {
    const policy = buildPolicy({}, model, local, 5);
    expect(policy).toEqual({
      modelId: 'm1',
      aliases: ['champion'],
      stages: ['Production'],
      endpointName: 'cairn-fraud-detector-v2',
      instanceType: 'ml.m5.large',
      initialInstanceCount: 1,
      approvalRequired: false,
      rollbackAlarms: [],
      terminationWaitSeconds: 300,
      updatedAt: 5,
    });
    expect(describeTriggers(policy)).toBe('alias:champion,stage:Production');
  });

  it('matches the triggers it names, stages in canonical spelling', () => {
    const policy = buildPolicy({ aliases: ['live'], stages: ['staging'] }, model, local, 0);
    expect(policy.stages).toEqual(['Staging']);
    expect(policyMatches(policy, { kind: 'alias', alias: 'live' })).toBe(true);
    expect(policyMatches(policy, { kind: 'alias', alias: 'champion' })).toBe(false);
    expect(policyMatches(policy, { kind: 'stage', stage: 'Staging' })).toBe(true);
    expect(policyMatches(policy, { kind: 'stage', stage: 'Production' })).toBe(false);
  });

  it('fails on a role the state machine may not pass, naming the allowed ones', () => {
    const build = () => buildPolicy({ executionRoleArn: 'arn:aws:iam::123456789012:role/other' }, model, aws, 0);
    expect(build).toThrow(MlflowError);
    expect(build).toThrow('Allowed: arn:aws:iam::123456789012:role/cairn-exec, arn:aws:iam::123456789012:role/team-exec');
    expect(buildPolicy({ executionRoleArn: aws.allowedRoleArns[0] }, model, aws, 0).executionRoleArn).toBe(aws.allowedRoleArns[0]);
  });

  it('fails on more than ten rollback alarms, as SageMaker would', () => {
    const alarms = Array.from({ length: 11 }, (_, i) => `alarm-${i}`);
    expect(() => buildPolicy({ rollbackAlarms: alarms }, model, local, 0)).toThrow('At most 10 rollback_alarms');
  });
});

describe('SageMaker names', () => {
  it('derives valid names under the prefix, at most 63 characters', () => {
    const id = 'a'.repeat(32);
    expect(sagemakerModelName(id)).toBe(`cairn-${id}`);
    expect(endpointConfigName(id)).toMatch(SAGEMAKER_NAME_PATTERN);
    const long = defaultEndpointName(`${'x'.repeat(70)}`);
    expect(long.length).toBeLessThanOrEqual(63);
    expect(long).toMatch(SAGEMAKER_NAME_PATTERN);
    expect(defaultEndpointName('---')).toBe('cairn-model');
  });
});

describe('failure messages', () => {
  it('reads a Lambda error record, a step error, a service error and a timeout', () => {
    expect(failureMessage({ Error: 'Error', Cause: JSON.stringify({ errorMessage: 'boom', errorType: 'Error' }) })).toBe('boom');
    expect(failureMessage({ Error: 'VersionNotDeployable', Cause: 'no MLmodel' })).toBe('no MLmodel');
    expect(failureMessage({ Error: 'SageMaker.ValidationException', Cause: 'Could not find model' })).toBe(
      'SageMaker.ValidationException: Could not find model',
    );
    expect(failureMessage({ Error: 'States.Timeout' })).toBe('timed out');
  });
});
