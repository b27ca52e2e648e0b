import { describe, expect, it } from 'vitest';
import { deployment, T0 } from './fixtures';
import { phasesOf } from './timeline';
import type { DeploymentStatus, DeploymentStep } from './types';

const steps = (...entries: [string, DeploymentStatus][]): DeploymentStep[] =>
  entries.map(([name, status], i) => ({ name, status, timestamp: T0 + i * 60_000 }));

const summary = (status: DeploymentStatus, recorded: DeploymentStep[], approval = false) =>
  phasesOf(deployment({ status, steps: recorded, approval_required: approval })).map((p) => `${p.label}:${p.state}`);

const START: [string, DeploymentStatus][] = [
  ['requested', 'PENDING'],
  ['execution-started', 'PENDING'],
];

describe('phasesOf', () => {
  it('walks a deployment through its phases to in service, timing each', () => {
    const recorded = steps(...START, ['validated', 'PENDING'], ['endpoint-claimed', 'DEPLOYING'], ['in-service', 'IN_SERVICE']);
    expect(summary('IN_SERVICE', recorded)).toEqual(['Requested:done', 'Validated:done', 'Deployed:done', 'In service:done']);
    const phases = phasesOf(deployment({ status: 'IN_SERVICE', steps: recorded }));
    expect(phases.map((p) => p.tookMs)).toEqual([60_000, 60_000, 120_000, undefined]);
    expect(phases[3]?.at).toBe(T0 + 4 * 60_000);
  });

  it('shows the approval phase only when the policy asks for it, active while it waits', () => {
    const waiting = steps(...START, ['validated', 'PENDING'], ['approval-requested', 'PENDING_APPROVAL']);
    expect(summary('PENDING_APPROVAL', waiting, true)).toEqual([
      'Requested:done',
      'Validated:done',
      'Awaiting approval:active',
      'Deployed:waiting',
      'In service:waiting',
    ]);
    const approved = steps(...START, ['validated', 'PENDING'], ['approval-requested', 'PENDING_APPROVAL'], ['approved', 'PENDING'], ['endpoint-claimed', 'DEPLOYING']);
    expect(summary('DEPLOYING', approved, true)).toEqual(['Requested:done', 'Validated:done', 'Approved:done', 'Deploying:active', 'In service:waiting']);
  });

  it('marks where a deployment stopped: rejected, failed validation, rolled back, superseded', () => {
    const rejected = steps(...START, ['validated', 'PENDING'], ['approval-requested', 'PENDING_APPROVAL'], ['rejected', 'REJECTED']);
    expect(summary('REJECTED', rejected, true)).toEqual(['Requested:done', 'Validated:done', 'Rejected:failed', 'Deployed:skipped', 'Rejected:failed']);
    const invalid = steps(...START, ['failed', 'FAILED']);
    expect(summary('FAILED', invalid)).toEqual(['Requested:done', 'Validated:failed', 'Deployed:skipped', 'Failed:failed']);
    const rolledBack = steps(...START, ['validated', 'PENDING'], ['endpoint-claimed', 'DEPLOYING'], ['rolled-back', 'ROLLED_BACK']);
    expect(summary('ROLLED_BACK', rolledBack)).toEqual(['Requested:done', 'Validated:done', 'Deploy failed:failed', 'Rolled back:failed']);
    const superseded = steps(...START, ['validated', 'PENDING'], ['superseded', 'SUPERSEDED']);
    expect(summary('SUPERSEDED', superseded)).toEqual(['Requested:done', 'Validated:done', 'Deployed:stopped', 'Superseded:stopped']);
    const replaced = steps(...START, ['validated', 'PENDING'], ['endpoint-claimed', 'DEPLOYING'], ['in-service', 'IN_SERVICE'], ['replaced', 'SUPERSEDED']);
    expect(summary('SUPERSEDED', replaced)).toEqual(['Requested:done', 'Validated:done', 'Deployed:done', 'Replaced:stopped']);
  });

  it('shows a promotion recorded where no target is configured as requested only', () => {
    expect(summary('NOT_DEPLOYED', steps(['requested', 'NOT_DEPLOYED']))).toEqual(['Requested:done', 'Validated:skipped', 'Deployed:skipped', 'Not deployed:stopped']);
  });
});
