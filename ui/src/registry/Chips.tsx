import { hrefFor } from '../app/router';
import { DEPLOYMENT_LABEL } from './model-facts';
import { versionPath } from './paths';
import type { DeploymentStatus } from './types';

/** `@alias → v3` chips, each a link to its version. */
export const AliasChips = ({ name, aliases }: { name: string; aliases: readonly { alias: string; version: string }[] }) => {
  if (aliases.length === 0) return null;
  return (
    <span className="chips">
      {aliases.map(({ alias, version }) => (
        <a key={alias} className="alias-chip" href={hrefFor(versionPath(name, version))} title={`${name}@${alias} is version ${version}`}>
          {`@${alias} `}
          <span aria-hidden="true">→</span>
          <span className="visually-hidden">is</span>
          {` v${version}`}
        </a>
      ))}
    </span>
  );
};

/** A version's own aliases, as chips without links (the row already is the version). */
export const AliasTags = ({ aliases }: { aliases: readonly string[] }) =>
  aliases.length === 0 ? null : (
    <span className="chips">
      {aliases.map((alias) => (
        <span key={alias} className="alias-chip">
          @{alias}
        </span>
      ))}
    </span>
  );

/** MLflow's legacy stage; "None" is shown muted as it means no stage. */
export const StageBadge = ({ stage }: { stage: string | undefined }) => {
  const value = stage || 'None';
  return <span className={`stage-badge stage-${value.toLowerCase()}`}>{value}</span>;
};

const DEPLOYMENT_MARK: Record<DeploymentStatus, string> = {
  PENDING: '◔',
  PENDING_APPROVAL: '‖',
  DEPLOYING: '◔',
  IN_SERVICE: '✓',
  FAILED: '✕',
  ROLLED_BACK: '↶',
  REJECTED: '✕',
  SUPERSEDED: '–',
  NOT_DEPLOYED: '–',
};

/** A deployment's status; the mark and the word carry it without the colour. */
export const DeploymentBadge = ({ status, title }: { status: DeploymentStatus; title?: string }) => (
  <span className={`deploy-badge deploy-${status}`} title={title}>
    <span aria-hidden="true">{DEPLOYMENT_MARK[status]}</span> {DEPLOYMENT_LABEL[status]}
  </span>
);
