import { useEffect, useRef, useState } from 'react';
import { ApiError } from '../api/client';
import { useAsync } from '../api/use-async';
import { useRowKeys } from '../app/row-keys';
import { hrefFor, navigate } from '../app/router';
import { InlineError } from '../components/InlineError';
import { Pager, usePageTokens } from '../components/Pager';
import { SortHeader } from '../components/SortHeader';
import { TagChips } from '../traces/Badges';
import { formatTime } from '../views/runs/cells';
import { searchRegisteredModels } from './api';
import { AliasChips } from './Chips';
import { modelsFilter, modelsOrderBy, parseModelsState, writeModelsState, type ModelSortKey, type ModelsListState } from './list-state';
import { latestVersion, userTagPairs } from './model-facts';
import { modelPath, modelsPath, versionPath } from './paths';
import { POLICY_TAGS, type RegisteredModel } from './types';

/** MLflow's UI pages registered models 25 at a time (REGISTERED_MODELS_PER_PAGE_COMPACT). */
export const MODELS_PAGE_SIZE = 25;

const EmptyModels = ({ filtered }: { filtered: boolean }) =>
  filtered ? (
    <div className="empty">
      <h2>No model matches</h2>
      <p>Change or clear the search.</p>
    </div>
  ) : (
    <div className="empty">
      <h2>No registered models yet</h2>
      <p>Register a logged model with the MLflow client, for example:</p>
      <pre>{`import mlflow
mlflow.set_tracking_uri("${window.location.origin}")
mlflow.register_model("runs:/<run id>/model", "my-model")`}</pre>
    </div>
  );

const ModelRow = ({ model, withCreator }: { model: RegisteredModel; withCreator: boolean }) => {
  const href = hrefFor(modelPath(model.name));
  const latest = latestVersion(model);
  const endpoint = model.tags?.find((t) => t.key === POLICY_TAGS.endpoint)?.value;
  return (
    <tr className="registry-row" onClick={(event) => !(event.target as HTMLElement).closest('a,button') && navigate(href)}>
      <td className="model-name-cell">
        <a href={href}>{model.name}</a>
        {endpoint && <div className="muted small">deploys to {endpoint}</div>}
      </td>
      <td className="nowrap">{latest ? <a href={hrefFor(versionPath(model.name, latest))}>Version {latest}</a> : <span className="muted">—</span>}</td>
      <td>
        <AliasChips name={model.name} aliases={[...(model.aliases ?? [])].sort((a, b) => a.alias.localeCompare(b.alias))} />
      </td>
      {withCreator && <td className="one-line">{model.user_id || <span className="muted">—</span>}</td>}
      <td className="nowrap">{formatTime(model.last_updated_timestamp)}</td>
      <td>
        <TagChips tags={userTagPairs(model.tags)} />
      </td>
    </tr>
  );
};

/**
 * The registered models (`#/models`): search by name or tags, sort by name or last change, page with the
 * server's page tokens; all of it in the URL, as MLflow's own list keeps it.
 */
export const ModelsList = ({ search }: { search: URLSearchParams }) => {
  const state = parseModelsState(search);
  const [draft, setDraft] = useState(state.q);
  useEffect(() => setDraft(state.q), [state.q]);
  const filter = modelsFilter(state.q);
  const order = modelsOrderBy(state.sort).join();
  const body = useRef<HTMLTableSectionElement>(null);
  useRowKeys(body, 'td.model-name-cell > a');

  const models = useAsync(
    (signal) => searchRegisteredModels({ filter, orderBy: [order], pageToken: state.page, maxResults: MODELS_PAGE_SIZE }, signal),
    [filter, order, state.page],
  );
  const update = (change: Partial<ModelsListState>, push = false) =>
    navigate(hrefFor(modelsPath(), writeModelsState({ ...state, page: '', ...change })), { replace: !push });
  const onSort = (key: ModelSortKey) =>
    // Names read A→Z first; changes newest first.
    update({ sort: { key, desc: state.sort.key === key ? !state.sort.desc : key === 'last_updated_timestamp' } });

  const searchError = models.error instanceof ApiError && models.error.status === 400 ? models.error.message : undefined;
  const rows = models.data?.models ?? [];
  // Only servers that record who registered a model fill user_id (MLflow OSS does not): a column of dashes says nothing.
  const withCreator = rows.some((model) => Boolean(model.user_id));
  const pages = usePageTokens(state.page, models.data?.nextPageToken, (page) => update({ page }, true));

  return (
    <div className="page-pad stack registry-page">
      <h1>Registered models</h1>
      <form
        className="row"
        role="search"
        onSubmit={(event) => {
          event.preventDefault();
          update({ q: draft.trim() });
        }}
      >
        <input
          type="search"
          data-search
          aria-label="Search models"
          aria-invalid={searchError ? true : undefined}
          aria-describedby={searchError ? 'models-search-error' : undefined}
          placeholder="Search by name, or tags.team = 'risk'   ( / )"
          style={{ flex: 1, minWidth: 260 }}
          value={draft}
          onChange={(e) => setDraft(e.target.value)}
        />
        <button type="submit">Search</button>
        {state.q && (
          <button type="button" onClick={() => update({ q: '' })}>
            Clear
          </button>
        )}
      </form>
      <InlineError message={searchError} id="models-search-error" />
      <InlineError message={searchError ? undefined : models.error?.message} />
      {!models.loading && !models.error && rows.length === 0 ? (
        <EmptyModels filtered={Boolean(filter) || Boolean(state.page)} />
      ) : (
        <div className="registry-table-wrap" aria-busy={models.loading}>
          <table className="registry-table models-table">
            <caption className="visually-hidden">Registered models</caption>
            <thead>
              <tr>
                <SortHeader label="Name" sortKey="name" sort={state.sort} onSort={onSort} />
                <th scope="col">Latest version</th>
                <th scope="col">Aliases</th>
                {withCreator && <th scope="col">Created by</th>}
                <SortHeader label="Last modified" sortKey="last_updated_timestamp" sort={state.sort} onSort={onSort} />
                <th scope="col">Tags</th>
              </tr>
            </thead>
            <tbody ref={body}>
              {rows.map((model) => (
                <ModelRow key={model.name} model={model} withCreator={withCreator} />
              ))}
            </tbody>
          </table>
        </div>
      )}
      <Pager pages={pages} count={rows.length} noun="models" />
    </div>
  );
};
