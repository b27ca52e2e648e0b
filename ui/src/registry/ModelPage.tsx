import { tagValue } from '../api/types';
import { useAsync } from '../api/use-async';
import { hrefFor } from '../app/router';
import { InlineError } from '../components/InlineError';
import { TagsEditor } from '../components/TagsEditor';
import { formatTime } from '../views/runs/cells';
import { deleteModelTag, getRegisteredModel, listModelVersions, setModelTag, updateModelDescription } from './api';
import { AliasChips } from './Chips';
import { DeleteModel } from './DeleteModel';
import { DescriptionField } from './DescriptionField';
import { aliasesByVersion, describeTriggers } from './model-facts';
import { modelsPath } from './paths';
import { isDeploymentTag, POLICY_TAGS, type RegisteredModel } from './types';
import { parseVersionFilter } from './version-filter';
import { VersionsTable } from './VersionsTable';

const ModelFacts = ({ model }: { model: RegisteredModel }) => {
  const endpoint = tagValue(model.tags, POLICY_TAGS.endpoint);
  const triggers = tagValue(model.tags, POLICY_TAGS.triggers);
  const aliases = [...(model.aliases ?? [])].sort((a, b) => a.alias.localeCompare(b.alias));
  return (
    <dl className="facts">
      <div>
        <dt>Created</dt>
        <dd>{formatTime(model.creation_timestamp)}</dd>
      </div>
      <div>
        <dt>Last modified</dt>
        <dd>{formatTime(model.last_updated_timestamp)}</dd>
      </div>
      {model.user_id && (
        <div>
          <dt>Created by</dt>
          <dd>{model.user_id}</dd>
        </div>
      )}
      <div>
        <dt>Aliases</dt>
        <dd>{aliases.length ? <AliasChips name={model.name} aliases={aliases} /> : <span className="muted">none</span>}</dd>
      </div>
      {endpoint && (
        <div>
          <dt>Deploys to</dt>
          <dd>
            <span className="mono">{endpoint}</span>
            {triggers && <span className="muted"> when {describeTriggers(triggers)} is set</span>}
          </dd>
        </div>
      )}
    </dl>
  );
};

/** A registered model (`#/models/<name>`): description, aliases, versions with stage and alias filters, tags, delete. */
export const ModelPage = ({ name, search }: { name: string; search: URLSearchParams }) => {
  const model = useAsync((signal) => getRegisteredModel(name, signal), [name]);
  const versions = useAsync((signal) => listModelVersions(name, signal), [name]);
  const filter = parseVersionFilter(search);
  const data = model.data?.name === name ? model.data : undefined;
  const aliases = aliasesByVersion(data);
  const { reload } = model;

  return (
    <div className="page-pad stack registry-page">
      <nav className="row small" aria-label="Breadcrumb">
        <a href={hrefFor(modelsPath())}>Registered models</a>
      </nav>
      <h1 className="model-title">{name}</h1>
      <InlineError message={model.error?.message} />
      {data && (
        <>
          <ModelFacts model={data} />
          <DescriptionField
            value={data.description ?? ''}
            onSave={async (text) => {
              const answer = await updateModelDescription(name, text);
              model.setData(() => answer.registered_model);
            }}
          />
          <InlineError message={versions.error?.message} />
          {versions.data ? (
            <VersionsTable name={name} versions={versions.data} aliases={aliases} filter={filter} />
          ) : (
            !versions.error && <div className="muted">Loading versions…</div>
          )}
          <TagsEditor
            tags={(data.tags ?? []).filter((t) => !isDeploymentTag(t.key))}
            onSet={async (key, value) => {
              await setModelTag(name, key, value);
              reload();
            }}
            onDelete={async (key) => {
              await deleteModelTag(name, key);
              reload();
            }}
          />
          {versions.data && <DeleteModel name={name} versions={versions.data} />}
        </>
      )}
    </div>
  );
};
