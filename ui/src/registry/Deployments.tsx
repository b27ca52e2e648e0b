import { useState } from 'react';
import { useAsync } from '../api/use-async';
import { useLiveReload } from '../app/live-reload';
import { InlineError } from '../components/InlineError';
import { formatTime } from '../views/runs/cells';
import { decideDeployment, getDeployment, listDeployments } from './api';
import { DeploymentBadge } from './Chips';
import { DeploymentDetail } from './DeploymentTimeline';
import { TERMINAL } from './timeline';
import type { Deployment } from './types';

/** While a deployment is under way its page is read again this often (tab visible only). */
export const LIVE_MS = 5000;

const triggerText = (trigger: Deployment['trigger']) => (trigger.alias ? `alias @${trigger.alias}` : trigger.stage ? `stage ${trigger.stage}` : 'unknown trigger');

/** A deployment's summary; open, its steps are read (`deployments/get`) and followed while it runs. */
const DeploymentCard = ({ summary, initiallyOpen, onChanged }: { summary: Deployment; initiallyOpen: boolean; onChanged: () => void }) => {
  const [open, setOpen] = useState(initiallyOpen);
  const detail = useAsync((signal) => (open ? getDeployment(summary.deployment_id, signal) : Promise.resolve(undefined)), [open, summary.deployment_id]);
  const deployment = detail.data ?? summary;
  const live = open && !TERMINAL.has(deployment.status);
  useLiveReload(live, detail.reload, LIVE_MS);

  return (
    <li className={`deployment-card card deployment-${deployment.status}`}>
      <details open={open} onToggle={(event) => setOpen((event.currentTarget as HTMLDetailsElement).open)}>
        <summary className="deployment-summary">
          <DeploymentBadge status={deployment.status} />
          <span>
            to <span className="mono">{deployment.endpoint_name}</span> · {triggerText(deployment.trigger)}
          </span>
          <span className="muted small">{formatTime(deployment.creation_timestamp)}</span>
          <span className="muted small mono deployment-id" title={deployment.deployment_id}>
            {deployment.deployment_id.slice(0, 8)}
          </span>
        </summary>
        <InlineError message={detail.error?.message} />
        {detail.data ? (
          <DeploymentDetail
            deployment={detail.data}
            onDecide={async (approve, comment) => {
              const decided = await decideDeployment(deployment.deployment_id, approve, comment);
              detail.setData(() => decided);
              onChanged();
            }}
          />
        ) : (
          !detail.error && <div className="muted small">Loading steps…</div>
        )}
      </details>
    </li>
  );
};

/**
 * The deployments of this version (Cairn's promotions to SageMaker, `/api/2.0/cairn/deployments/...`), newest
 * first, the newest open with its step timeline. Nothing is shown where the server has no deployment API.
 */
export const VersionDeployments = ({ name, version, onChanged }: { name: string; version: string; onChanged: () => void }) => {
  const list = useAsync((signal) => listDeployments(name, signal), [name]);
  if (list.data === undefined && !list.error) return null;
  const mine = (list.data ?? []).filter((d) => d.version === version);
  return (
    <section aria-label="Deployments" className="stack deployments">
      <h2>Deployments</h2>
      <InlineError message={list.error?.message} />
      {list.data && mine.length === 0 && (
        <p className="muted">
          No deployment of this version. A model with a deployment policy deploys the version its policy's alias or stage moves to.
        </p>
      )}
      {mine.length > 0 && (
        <ul className="list-plain deployment-list">
          {mine.map((d, index) => (
            <DeploymentCard
              key={d.deployment_id}
              summary={d}
              initiallyOpen={index === 0}
              onChanged={() => {
                list.reload();
                onChanged();
              }}
            />
          ))}
        </ul>
      )}
    </section>
  );
};
