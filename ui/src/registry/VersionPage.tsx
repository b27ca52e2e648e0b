import type { ReactNode } from 'react';
import { useAsync } from '../api/use-async';
import { hrefFor } from '../app/router';
import { InlineError } from '../components/InlineError';
import { TagsEditor } from '../components/TagsEditor';
import { formatTime } from '../views/runs/cells';
import { deleteAlias, deleteVersionTag, getModelVersion, getRegisteredModel, setAlias, setVersionTag, transitionStage, updateVersionDescription } from './api';
import { AliasEditor } from './AliasEditor';
import { StageBadge } from './Chips';
import { DeploymentCell } from './VersionsTable';
import { VersionDeployments } from './Deployments';
import { DescriptionField } from './DescriptionField';
import { modelPath, modelsPath } from './paths';
import { Signature } from './Signature';
import { LoggedModelLink, SourceRunLink, loggedModelIdOf } from './SourceLinks';
import { StageTransition } from './StageTransition';
import { isDeploymentTag, type ModelVersion } from './types';

const Facts = ({ rows }: { rows: [string, ReactNode][] }) => (
  <table className="kv version-facts" aria-label="Version overview">
    <tbody>
      {rows.map(([label, value]) => (
        <tr key={label}>
          <th scope="row">{label}</th>
          <td>{value}</td>
        </tr>
      ))}
    </tbody>
  </table>
);

/** A model version (`#/models/<name>/versions/<v>`): overview, stage and aliases, description, tags, signature, deployments. */
export const VersionPage = ({ name, version }: { name: string; version: string }) => {
  const model = useAsync((signal) => getRegisteredModel(name, signal), [name]);
  const current = useAsync((signal) => getModelVersion(name, version, signal), [name, version]);
  const data = current.data;
  const reloadAll = () => {
    model.reload();
    current.reload();
  };
  const keepVersion = (answer: ModelVersion) => current.setData(() => answer);
  const loggedModelId = loggedModelIdOf(data?.source);

  return (
    <div className="page-pad stack registry-page">
      <nav className="row small" aria-label="Breadcrumb">
        <a href={hrefFor(modelsPath())}>Registered models</a>
        <span className="muted">/</span>
        <a href={hrefFor(modelPath(name))}>{name}</a>
      </nav>
      <div className="row version-title">
        <h1>
          {name} <span className="muted">·</span> Version {version}
        </h1>
        {data && <StageBadge stage={data.current_stage} />}
        {data?.aliases?.map((alias) => (
          <span key={alias} className="alias-chip">
            @{alias}
          </span>
        ))}
      </div>
      <InlineError message={current.error?.message} />
      {data && (
        <>
          <div className="version-main">
            <Facts
              rows={[
                ['Registered at', formatTime(data.creation_timestamp)],
                ['Last modified', formatTime(data.last_updated_timestamp)],
                ...(data.user_id ? [['Created by', data.user_id] as [string, ReactNode]] : []),
                ['Source run', data.run_id ? <SourceRunLink runId={data.run_id} showId /> : <span className="muted">—</span>],
                ...(loggedModelId ? [['Logged model', <LoggedModelLink modelId={loggedModelId} />] as [string, ReactNode]] : []),
                ['Source', <span className="mono source-uri">{data.source}</span>],
                [
                  'Stage',
                  <div className="stack stage-cell">
                    <StageBadge stage={data.current_stage} />
                    <StageTransition
                      current={data.current_stage || 'None'}
                      onTransition={async (stage, archive) => {
                        keepVersion(await transitionStage(name, version, stage, archive));
                        model.reload();
                      }}
                    />
                  </div>,
                ],
                [
                  'Aliases',
                  model.data ? (
                    <AliasEditor
                      model={model.data}
                      version={version}
                      onSet={async (alias) => {
                        await setAlias(name, alias, version);
                        reloadAll();
                      }}
                      onDelete={async (alias) => {
                        await deleteAlias(name, alias);
                        reloadAll();
                      }}
                    />
                  ) : (
                    <span className="muted">Loading…</span>
                  ),
                ],
                ['Deployment', <DeploymentCell version={data} />],
              ]}
            />
            <VersionDeployments name={name} version={version} onChanged={current.reload} />
          </div>
          <DescriptionField
            value={data.description ?? ''}
            onSave={async (text) => keepVersion((await updateVersionDescription(name, version, text)).model_version)}
          />
          <div className="two-col">
            <Signature name={name} version={version} />
            <TagsEditor
              tags={(data.tags ?? []).filter((t) => !isDeploymentTag(t.key))}
              onSet={async (key, value) => {
                await setVersionTag(name, version, key, value);
                current.reload();
              }}
              onDelete={async (key) => {
                await deleteVersionTag(name, version, key);
                current.reload();
              }}
            />
          </div>
        </>
      )}
    </div>
  );
};
