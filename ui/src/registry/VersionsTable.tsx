import { useRef } from 'react';
import { tagValue } from '../api/types';
import { hrefFor, navigate } from '../app/router';
import { TagChips } from '../traces/Badges';
import { formatTime } from '../views/runs/cells';
import { AliasTags, DeploymentBadge, StageBadge } from './Chips';
import { isDeploymentStatus, userTagPairs } from './model-facts';
import { modelPath, versionPath } from './paths';
import { useRowKeys } from '../app/row-keys';
import { LoggedModelLink, SourceRunLink, loggedModelIdOf } from './SourceLinks';
import { DEPLOYMENT_TAGS, STAGES, type ModelVersion } from './types';
import { ANY_ALIAS, NO_ALIAS, filterVersions, stageOf, writeVersionFilter, type VersionFilter } from './version-filter';

/** The version's latest deployment, as Cairn mirrors it onto the version's tags. */
export const DeploymentCell = ({ version }: { version: ModelVersion }) => {
  const status = tagValue(version.tags, DEPLOYMENT_TAGS.status);
  if (!isDeploymentStatus(status)) return <span className="muted">—</span>;
  const endpoint = tagValue(version.tags, DEPLOYMENT_TAGS.endpoint);
  const message = tagValue(version.tags, DEPLOYMENT_TAGS.message);
  return (
    <>
      <DeploymentBadge status={status} title={message || undefined} />
      {endpoint && <div className="muted small one-line">{endpoint}</div>}
    </>
  );
};

const VersionRow = ({ name, version, aliases }: { name: string; version: ModelVersion; aliases: string[] }) => {
  const href = hrefFor(versionPath(name, version.version));
  const modelId = loggedModelIdOf(version.source);
  return (
    <tr className="registry-row" onClick={(event) => !(event.target as HTMLElement).closest('a,button') && navigate(href)}>
      <td className="version-cell">
        <a href={href}>Version {version.version}</a>
      </td>
      <td className="nowrap">{formatTime(version.creation_timestamp)}</td>
      <td>
        <StageBadge stage={version.current_stage} />
      </td>
      <td>
        <AliasTags aliases={aliases} />
      </td>
      <td>
        <TagChips tags={userTagPairs(version.tags)} />
      </td>
      <td className="source-cell">{version.run_id ? <SourceRunLink runId={version.run_id} /> : modelId ? <LoggedModelLink modelId={modelId} /> : <span className="muted">—</span>}</td>
      <td>
        <DeploymentCell version={version} />
      </td>
    </tr>
  );
};

/**
 * A model's versions, newest first, filtered by stage and by alias (MLflow users ask for both: ui.md section 2
 * item 11); the filter lives in the model page's URL.
 */
export const VersionsTable = ({
  name,
  versions,
  aliases,
  filter,
}: {
  name: string;
  versions: readonly ModelVersion[];
  aliases: ReadonlyMap<string, string[]>;
  filter: VersionFilter;
}) => {
  const body = useRef<HTMLTableSectionElement>(null);
  useRowKeys(body, 'td.version-cell > a');
  const shown = filterVersions(versions, aliases, filter);
  const set = (change: Partial<VersionFilter>) => navigate(hrefFor(modelPath(name), writeVersionFilter({ ...filter, ...change })), { replace: true });
  const stageCount = (stage: string) => versions.filter((v) => stageOf(v) === stage).length;
  const aliasNames = [...new Set([...aliases.values()].flat())].sort();
  const filtered = Boolean(filter.stage || filter.alias);

  return (
    <section aria-label="Versions" className="stack versions-section">
      <div className="row section-head">
        <h2>
          Versions <span className="muted small">{filtered ? `${shown.length} of ${versions.length}` : versions.length}</span>
        </h2>
        <div className="row">
          <div className="segmented" role="group" aria-label="Stage">
            <button type="button" aria-pressed={!filter.stage} onClick={() => set({ stage: '' })}>
              All stages
            </button>
            {STAGES.map((stage) => (
              <button key={stage} type="button" aria-pressed={filter.stage === stage} onClick={() => set({ stage })}>
                {stage} <span className="muted small">{stageCount(stage)}</span>
              </button>
            ))}
          </div>
          <select aria-label="Alias" value={filter.alias} onChange={(event) => set({ alias: event.target.value })}>
            <option value="">Any alias or none</option>
            <option value={ANY_ALIAS}>With an alias</option>
            <option value={NO_ALIAS}>Without an alias</option>
            {aliasNames.map((alias) => (
              <option key={alias} value={alias}>
                @{alias}
              </option>
            ))}
          </select>
        </div>
      </div>
      {shown.length === 0 ? (
        <div className="empty">
          {filtered ? (
            <>
              No version matches.{' '}
              <button type="button" className="link" onClick={() => set({ stage: '', alias: '' })}>
                Show all versions
              </button>
            </>
          ) : (
            'No versions yet.'
          )}
        </div>
      ) : (
        <div className="registry-table-wrap">
          <table className="registry-table versions-table">
            <caption className="visually-hidden">Versions of {name}</caption>
            <thead>
              <tr>
                <th scope="col">Version</th>
                <th scope="col">Registered at</th>
                <th scope="col">Stage</th>
                <th scope="col">Aliases</th>
                <th scope="col">Tags</th>
                <th scope="col">Source</th>
                <th scope="col">Deployment</th>
              </tr>
            </thead>
            <tbody ref={body}>
              {shown.map((version) => (
                <VersionRow key={version.version} name={name} version={version} aliases={aliases.get(version.version) ?? []} />
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
};
