import { DEPLOYMENT_LABEL } from './model-facts';
import type { Deployment, DeploymentStatus, DeploymentStep } from './types';

/**
 * A deployment's progress as phases a person takes in at a glance, built from the steps the promotion state
 * machine records (shared/domain/deployments/steps.ts): requested, validated, approved (when the policy asks),
 * deploying, and the outcome.
 */
export type PhaseState = 'done' | 'active' | 'waiting' | 'failed' | 'stopped' | 'skipped';

export interface Phase {
  key: 'request' | 'validate' | 'approve' | 'deploy' | 'outcome';
  label: string;
  state: PhaseState;
  /** When the phase ended (or, while active, began): its last step's time. */
  at?: number;
  /** From the previous phase's end to this one's. */
  tookMs?: number;
}

const OUTCOME_STEPS = new Set(['in-service', 'rolled-back', 'failed', 'superseded', 'replaced']);

export const TERMINAL: ReadonlySet<DeploymentStatus> = new Set(['IN_SERVICE', 'FAILED', 'ROLLED_BACK', 'REJECTED', 'SUPERSEDED', 'NOT_DEPLOYED']);

const OUTCOME_STATE: Partial<Record<DeploymentStatus, PhaseState>> = {
  IN_SERVICE: 'done',
  FAILED: 'failed',
  ROLLED_BACK: 'failed',
  REJECTED: 'failed',
  SUPERSEDED: 'stopped',
  NOT_DEPLOYED: 'stopped',
};

interface PhaseDef {
  key: Phase['key'];
  label: string;
  /** The steps that end the phase. */
  ends: (step: DeploymentStep) => boolean;
  /** Steps that belong to the phase without ending it (it is under way). */
  starts?: (step: DeploymentStep) => boolean;
}

const PHASES: PhaseDef[] = [
  { key: 'request', label: 'Requested', ends: (s) => s.name === 'requested' || s.name === 'execution-started' },
  { key: 'validate', label: 'Validated', ends: (s) => s.name === 'validated' },
  { key: 'approve', label: 'Approved', ends: (s) => s.name === 'approved', starts: (s) => s.name === 'approval-requested' || s.name === 'rejected' },
  { key: 'deploy', label: 'Deployed', ends: (s) => OUTCOME_STEPS.has(s.name) && s.name !== 'superseded', starts: (s) => s.name === 'endpoint-claimed' },
];

/** A superseded deployment that had served was replaced by a later one, not stopped before serving. */
const wasServing = (steps: readonly DeploymentStep[]) => steps.some((s) => s.name === 'in-service');

export const phasesOf = (deployment: Deployment): Phase[] => {
  const steps = [...(deployment.steps ?? [])].sort((a, b) => a.timestamp - b.timestamp);
  const terminal = TERMINAL.has(deployment.status);
  const asksApproval = deployment.approval_required || steps.some((s) => s.name === 'approval-requested');
  const defs = PHASES.filter((def) => def.key !== 'approve' || asksApproval);
  const phases: Phase[] = [];
  let previousEnd = steps[0]?.timestamp;
  let open = false;
  for (const def of defs) {
    const end = steps.filter(def.ends).at(-1);
    const start = steps.filter((s) => def.starts?.(s)).at(-1);
    if (end && !open) {
      // SageMaker's own failure or roll-back ends the deploy phase, badly.
      const failed = end.name === 'failed' || end.name === 'rolled-back';
      phases.push({
        key: def.key,
        label: failed ? 'Deploy failed' : def.label,
        state: failed ? 'failed' : 'done',
        at: end.timestamp,
        tookMs: previousEnd === undefined ? undefined : end.timestamp - previousEnd,
      });
      previousEnd = end.timestamp;
      continue;
    }
    if (open) {
      phases.push({ key: def.key, label: def.label, state: terminal ? 'skipped' : 'waiting' });
      continue;
    }
    open = true;
    // The first phase not ended: under way, or where a finished deployment stopped.
    let state: PhaseState = 'active';
    if (terminal) state = deployment.status === 'FAILED' || deployment.status === 'REJECTED' ? 'failed' : deployment.status === 'NOT_DEPLOYED' ? 'skipped' : 'stopped';
    const label =
      def.key === 'approve'
        ? deployment.status === 'REJECTED' ? 'Rejected' : state === 'active' ? 'Awaiting approval' : def.label
        : def.key === 'deploy' && state === 'active' ? 'Deploying' : def.label;
    phases.push({ key: def.key, label, state, at: start?.timestamp });
  }
  const last = steps.at(-1);
  if (terminal) {
    const replaced = deployment.status === 'SUPERSEDED' && wasServing(steps);
    phases.push({
      key: 'outcome',
      label: replaced ? 'Replaced' : DEPLOYMENT_LABEL[deployment.status],
      state: OUTCOME_STATE[deployment.status] ?? 'stopped',
      at: last?.timestamp,
    });
  } else {
    phases.push({ key: 'outcome', label: 'In service', state: 'waiting' });
  }
  return phases;
};

/** What each recorded step is called in the timeline. */
export const STEP_LABEL: Record<string, string> = {
  requested: 'Requested',
  'execution-started': 'Promotion started',
  validated: 'Validated',
  'approval-requested': 'Approval requested',
  approved: 'Approved',
  rejected: 'Rejected',
  'endpoint-claimed': 'Endpoint claimed, deploying',
  'in-service': 'In service',
  'rolled-back': 'Rolled back',
  failed: 'Failed',
  superseded: 'Superseded',
  replaced: 'Replaced',
};

export const stepLabel = (name: string) => STEP_LABEL[name] ?? name.replace(/-/g, ' ');
