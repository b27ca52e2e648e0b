import { useState } from 'react';
import { deleteExperimentTag, getExperiment, setExperimentTag } from '../../api/mlflow';
import { useAsync } from '../../api/use-async';
import { NOTE_TAG, tagValue, type Experiment } from '../../api/types';
import { experimentPath, hrefFor } from '../../app/router';
import { DescriptionEditor } from '../../components/DescriptionEditor';
import { TagsEditor } from '../../components/TagsEditor';
import { RunsView } from '../runs/RunsView';
import { LoggedModelsList } from '../models/LoggedModelsList';
import { TracesList } from '../../traces/TracesList';

const withTag = (experiment: Experiment | undefined, key: string, value: string | undefined) =>
  experiment && {
    ...experiment,
    tags: [...(experiment.tags ?? []).filter((t) => t.key !== key), ...(value === undefined ? [] : [{ key, value }])],
  };

export default function ExperimentPage({ experimentId, tab, search }: { experimentId: string; tab: 'runs' | 'models' | 'traces'; search: URLSearchParams }) {
  const experiment = useAsync(() => getExperiment(experimentId), [experimentId]);
  const [aboutOpen, setAboutOpen] = useState(false);
  const data = experiment.data;
  const description = tagValue(data?.tags, NOTE_TAG) ?? '';
  const setTag = async (key: string, value: string) => {
    await setExperimentTag(experimentId, key, value);
    experiment.setData((e) => withTag(e, key, value));
  };
  const base = experimentPath(experimentId);

  return (
    <div className="experiment-page">
      <div className="experiment-head">
        <div className="row">
          <a href="#/" className="muted small">
            Experiments
          </a>
          <span className="muted small">/</span>
        </div>
        <div className="row" style={{ minHeight: 30 }}>
          <h1>{data?.name ?? (experiment.error ? 'Experiment' : '\u00a0')}</h1>
          {data?.lifecycle_stage === 'deleted' && <span className="badge FAILED">deleted</span>}
          <span className="muted small">ID {experimentId}</span>
          {description && !aboutOpen && <span className="muted small one-line">{description}</span>}
          <span style={{ flex: 1 }} />
          <button type="button" aria-expanded={aboutOpen} onClick={() => setAboutOpen((o) => !o)}>
            {aboutOpen ? 'Hide details' : 'Description and tags'}
          </button>
        </div>
        {experiment.error && <div className="inline-error" role="alert">{experiment.error.message}</div>}
        {aboutOpen && data && (
          <div className="about-grid">
            <DescriptionEditor value={description} onSave={(text) => setTag(NOTE_TAG, text)} />
            <TagsEditor
              label="Experiment tags"
              tags={data.tags ?? []}
              onSet={setTag}
              onDelete={async (key) => {
                await deleteExperimentTag(experimentId, key);
                experiment.setData((e) => withTag(e, key, undefined));
              }}
            />
            <p className="muted small">Artifacts: <span className="mono">{data.artifact_location}</span></p>
          </div>
        )}
        <nav className="tabs" aria-label="Experiment views">
          <a href={hrefFor(base)} aria-current={tab === 'runs' ? 'page' : undefined}>
            Runs
          </a>
          <a href={hrefFor(`${base}/models`)} aria-current={tab === 'models' ? 'page' : undefined}>
            Logged models
          </a>
          <a href={hrefFor(`${base}/traces`)} aria-current={tab === 'traces' ? 'page' : undefined}>
            Traces
          </a>
        </nav>
      </div>
      {tab === 'runs' ? (
        <RunsView experimentId={experimentId} basePath={base} search={search} />
      ) : tab === 'traces' ? (
        <TracesList experimentId={experimentId} search={search} />
      ) : (
        <LoggedModelsList experimentId={experimentId} />
      )}
    </div>
  );
}
