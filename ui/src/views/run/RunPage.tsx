import { useEffect, useMemo, useState } from 'react';
import { deleteRun, deleteRunTag, getExperiment, getRun, restoreRun, setRunTag } from '../../api/mlflow';
import { useAsync } from '../../api/use-async';
import { NOTE_TAG, tagValue, type Run } from '../../api/types';
import { experimentPath, hrefFor, runPath } from '../../app/router';
import { DescriptionEditor } from '../../components/DescriptionEditor';
import { TagsEditor } from '../../components/TagsEditor';
import { formatNumber, runName } from '../runs/cells';
import { ArtifactBrowser } from '../artifacts/ArtifactBrowser';
import { runArtifacts } from '../artifacts/sources';
import { RunOverview } from './RunOverview';
import { KeyValueTable } from './KeyValueTable';
import { Sparkline } from './Sparkline';

const LIVE_MS = 5000;

const withTag = (run: Run | undefined, key: string, value: string | undefined): Run | undefined =>
  run && { ...run, data: { ...run.data, tags: [...(run.data.tags ?? []).filter((t) => t.key !== key), ...(value === undefined ? [] : [{ key, value }])] } };

export default function RunPage({ experimentId, runId, artifactPath }: { experimentId: string; runId: string; artifactPath: string | undefined }) {
  const run = useAsync((signal) => getRun(runId, signal), [runId]);
  const experiment = useAsync(() => getExperiment(experimentId), [experimentId]);
  const [version, setVersion] = useState(0);
  const [actionError, setActionError] = useState<string>();
  const data = run.data;
  const running = data?.info.status === 'RUNNING';

  // A running run is read again every few seconds, only while the tab is visible.
  useEffect(() => {
    if (!running) return;
    const timer = setInterval(() => {
      if (document.visibilityState === 'visible') {
        run.reload();
        setVersion((v) => v + 1);
      }
    }, LIVE_MS);
    return () => clearInterval(timer);
  }, [running, run]);

  const tab = artifactPath !== undefined ? 'artifacts' : 'overview';
  const base = runPath(experimentId, runId);
  const artifacts = useMemo(() => runArtifacts(experimentId, runId), [experimentId, runId]);
  const setTag = async (key: string, value: string) => {
    await setRunTag(runId, key, value);
    run.setData((r) => withTag(r, key, value));
  };
  const lifecycle = async (deleted: boolean) => {
    setActionError(undefined);
    try {
      await (deleted ? deleteRun(runId) : restoreRun(runId));
      run.reload();
    } catch (reason) {
      setActionError(reason instanceof Error ? reason.message : String(reason));
    }
  };

  return (
    <div className="page-pad stack run-page">
      <div className="row small">
        <a href={hrefFor(experimentPath(experimentId))}>{experiment.data?.name ?? `Experiment ${experimentId}`}</a>
        <span className="muted">/</span>
        <span className="muted">Run</span>
      </div>
      <div className="row" style={{ minHeight: 30 }}>
        <h1>{data ? runName(data) : '\u00a0'}</h1>
        {data && <span className={`badge ${data.info.status}`}>{data.info.status}</span>}
        {data?.info.lifecycle_stage === 'deleted' && <span className="badge FAILED">deleted</span>}
        <span style={{ flex: 1 }} />
        {data &&
          (data.info.lifecycle_stage === 'deleted' ? (
            <button type="button" onClick={() => void lifecycle(false)}>Restore run</button>
          ) : (
            <button type="button" className="danger" onClick={() => void lifecycle(true)}>Delete run</button>
          ))}
      </div>
      {run.error && <div className="inline-error" role="alert">{run.error.message}</div>}
      {actionError && <div className="inline-error" role="alert">{actionError}</div>}
      <nav className="tabs" aria-label="Run views">
        <a href={hrefFor(base)} aria-current={tab === 'overview' ? 'page' : undefined}>Overview</a>
        <a href={hrefFor(`${base}/artifacts`)} aria-current={tab === 'artifacts' ? 'page' : undefined}>Artifacts</a>
      </nav>
      {tab === 'artifacts' ? (
        <ArtifactBrowser key={runId} source={artifacts} selected={artifactPath || undefined} />
      ) : data ? (
        <div className="run-overview-grid">
          <div className="stack">
            <RunOverview run={data} />
            <DescriptionEditor value={tagValue(data.data.tags, NOTE_TAG) ?? ''} onSave={(text) => setTag(NOTE_TAG, text)} />
            <Datasets run={data} />
            <LoggedModels run={data} />
          </div>
          <div className="stack">
            <KeyValueTable
              title="Metrics"
              rows={(data.data.metrics ?? []).map((m) => [m.key, formatNumber(m.value)])}
              extra={(key) => <Sparkline runId={runId} metricKey={key} version={version} />}
            />
            <KeyValueTable title="Parameters" rows={(data.data.params ?? []).map((p) => [p.key, p.value])} />
            <TagsEditor
              tags={data.data.tags ?? []}
              onSet={setTag}
              onDelete={async (key) => {
                await deleteRunTag(runId, key);
                run.setData((r) => withTag(r, key, undefined));
              }}
            />
          </div>
        </div>
      ) : (
        <div className="skeleton" style={{ height: 240 }} />
      )}
    </div>
  );
}

const Datasets = ({ run }: { run: Run }) => {
  const inputs = run.inputs?.dataset_inputs ?? [];
  return (
    <section aria-label="Datasets">
      <h2>Datasets <span className="muted small">({inputs.length})</span></h2>
      {inputs.length === 0 ? (
        <p className="muted">None logged.</p>
      ) : (
        <table className="kv">
          <tbody>
            {inputs.map((input) => (
              <tr key={`${input.dataset.name}-${input.dataset.digest}`}>
                <th scope="row">{input.dataset.name}</th>
                <td className="mono small">{input.dataset.digest}</td>
                <td className="small">{tagValue(input.tags, 'mlflow.data.context') ?? ''}</td>
                <td className="small">{input.dataset.source_type ?? ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
};

const LoggedModels = ({ run }: { run: Run }) => {
  const outputs = run.outputs?.model_outputs ?? [];
  const inputs = run.inputs?.model_inputs ?? [];
  if (!outputs.length && !inputs.length) return null;
  const link = (id: string) => <a href={hrefFor(`/experiments/${run.info.experiment_id}/models/${id}`)} className="mono">{id}</a>;
  return (
    <section aria-label="Logged models">
      <h2>Logged models</h2>
      <ul>
        {outputs.map((m) => <li key={`o-${m.model_id}`}>{link(m.model_id)} <span className="muted small">logged{m.step !== undefined ? ` at step ${m.step}` : ''}</span></li>)}
        {inputs.map((m) => <li key={`i-${m.model_id}`}>{link(m.model_id)} <span className="muted small">used as input</span></li>)}
      </ul>
    </section>
  );
};
