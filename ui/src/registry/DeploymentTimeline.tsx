import { useState } from 'react';
import { InlineError } from '../components/InlineError';
import { useAction } from '../components/use-action';
import { formatDuration, formatTime } from '../views/runs/cells';
import { DeploymentBadge } from './Chips';
import { phasesOf, stepLabel, type Phase, type PhaseState } from './timeline';
import type { Deployment } from './types';

const PHASE_MARK: Record<PhaseState, string> = { done: '✓', active: '●', waiting: '', failed: '✕', stopped: '–', skipped: '' };
const PHASE_WORD: Record<PhaseState, string> = {
  done: 'done',
  active: 'in progress',
  waiting: 'not yet',
  failed: 'failed',
  stopped: 'stopped',
  skipped: 'skipped',
};

const PhaseItem = ({ phase }: { phase: Phase }) => (
  <li className={`phase phase-${phase.state}`} aria-current={phase.state === 'active' ? 'step' : undefined}>
    <span className="phase-dot" aria-hidden="true">
      {PHASE_MARK[phase.state]}
    </span>
    <span className="phase-label">{phase.label}</span>
    <span className="visually-hidden">: {PHASE_WORD[phase.state]}</span>
    <span className="phase-time muted small">
      {phase.at ? formatTime(phase.at).slice(11) : ''}
      {phase.tookMs !== undefined && phase.tookMs > 0 && ` · ${formatDuration(phase.tookMs)}`}
    </span>
  </li>
);

/** The phases side by side: people look before they read. */
export const PhaseStrip = ({ deployment }: { deployment: Deployment }) => (
  <ol className="phase-strip" aria-label="Deployment progress">
    {phasesOf(deployment).map((phase) => (
      <PhaseItem key={phase.key} phase={phase} />
    ))}
  </ol>
);

/** Every recorded step with its time, the time since the request, and its message. */
export const StepList = ({ deployment }: { deployment: Deployment }) => {
  const steps = [...(deployment.steps ?? [])].sort((a, b) => a.timestamp - b.timestamp);
  const first = steps[0]?.timestamp ?? deployment.creation_timestamp;
  return (
    <ol className="step-list" aria-label="Deployment steps">
      {steps.map((step, index) => (
        <li key={`${step.name}-${index}`} className={`step step-${step.status}`}>
          <span className="step-dot" aria-hidden="true" />
          <div className="step-body">
            <div className="row step-head">
              <strong>{stepLabel(step.name)}</strong>
              <DeploymentBadge status={step.status} />
              <time className="muted small" dateTime={new Date(step.timestamp).toISOString()}>
                {formatTime(step.timestamp)}
              </time>
              {index > 0 && <span className="muted small">+{formatDuration(step.timestamp - first)}</span>}
            </div>
            {step.message && <div className="step-message">{step.message}</div>}
          </div>
        </li>
      ))}
    </ol>
  );
};

const OUTCOME_NOTE: Partial<Record<Deployment['status'], string>> = {
  ROLLED_BACK: 'SageMaker rolled the endpoint back to the previous version: this version never took traffic.',
  PENDING_APPROVAL: 'Waiting for an approver: nothing changes on the endpoint until someone approves.',
  NOT_DEPLOYED: 'No deployment target is configured on this server, so the promotion was only recorded.',
};

/** Approve or reject, with an optional comment that is kept in the deployment's history. */
export const ApprovalForm = ({ onDecide }: { onDecide: (approve: boolean, comment: string) => Promise<unknown> }) => {
  const [comment, setComment] = useState('');
  // The decision ends the wait: the form goes with it, so it stays disabled after a success.
  const { busy, error, act } = useAction({ final: true });
  const decide = (approve: boolean) => act(() => onDecide(approve, comment));
  return (
    <div className="approval stack">
      <div className="row">
        <input aria-label="Approval comment" placeholder="Comment (optional)" value={comment} onChange={(e) => setComment(e.target.value)} style={{ flex: 1, minWidth: 200 }} />
        <button type="button" className="primary" disabled={busy} onClick={() => void decide(true)}>
          Approve
        </button>
        <button type="button" className="danger" disabled={busy} onClick={() => void decide(false)}>
          Reject
        </button>
      </div>
      <InlineError message={error} />
    </div>
  );
};

/** One deployment: the outcome first, the phases, approval when it waits, then every step. */
export const DeploymentDetail = ({ deployment, onDecide }: { deployment: Deployment; onDecide: (approve: boolean, comment: string) => Promise<unknown> }) => {
  const note = OUTCOME_NOTE[deployment.status];
  return (
    <div className="deployment-detail stack">
      <div className={`outcome outcome-${deployment.status}`}>
        <DeploymentBadge status={deployment.status} />
        <span className="outcome-message">{deployment.status_message}</span>
        {note && <div className="small outcome-note">{note}</div>}
      </div>
      <PhaseStrip deployment={deployment} />
      {deployment.status === 'PENDING_APPROVAL' && <ApprovalForm onDecide={onDecide} />}
      <StepList deployment={deployment} />
    </div>
  );
};
