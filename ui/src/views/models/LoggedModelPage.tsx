import { useMemo } from 'react';
import { getExperiment, getLoggedModel, getRun, proxiedArtifactPath } from '../../api/mlflow';
import { useAsync } from '../../api/use-async';
import { experimentPath, hrefFor, loggedModelPath } from '../../app/router';
import { KeyValueTable } from '../run/KeyValueTable';
import { LoggedModelMetrics } from './LoggedModelMetrics';
import { LoggedModelOverview, OVERVIEW_TAGS } from './LoggedModelOverview';
import { ArtifactBrowser } from '../artifacts/ArtifactBrowser';
import { proxiedArtifacts } from '../artifacts/sources';

/**
 * The artifacts of a logged model: its root is an `mlflow-artifacts:` URI in Cairn's store, read through the
 * proxied artifact service (Cairn has no MLflow 3 `logged-models/<id>/artifacts` routes). A root elsewhere is
 * the client's own storage, which the server cannot read.
 */
const ModelArtifacts = ({ experimentId, modelId, artifactUri, selected }: { experimentId: string; modelId: string; artifactUri: string | undefined; selected: string | undefined }) => {
  const root = proxiedArtifactPath(artifactUri);
  const source = useMemo(
    () => (root === undefined ? undefined : proxiedArtifacts(root, (path) => loggedModelPath(experimentId, modelId, path))),
    [root, experimentId, modelId],
  );
  return (
    <section aria-label="Artifacts" className="stack">
      <h2>Artifacts</h2>
      {source ? (
        <ArtifactBrowser key={source.key} source={source} selected={selected} />
      ) : (
        <p className="muted">
          Stored at <code>{artifactUri ?? '(no location)'}</code>, outside Cairn's artifact store: read them with the client's own credentials.
        </p>
      )}
    </section>
  );
};

export default function LoggedModelPage({ experimentId, modelId, artifactPath }: { experimentId: string; modelId: string; artifactPath: string | undefined }) {
  const model = useAsync(() => getLoggedModel(modelId), [modelId]);
  const experiment = useAsync(() => getExperiment(experimentId), [experimentId]);
  const info = model.data?.info;
  const sourceRunId = info?.source_run_id;
  // Read once for the overview and the metrics table, which both name it; a run that cannot be read leaves its id.
  const sourceRun = useAsync((signal) => (sourceRunId ? getRun(sourceRunId, signal) : Promise.resolve(undefined)), [sourceRunId]);
  return (
    <div className="page-pad stack">
      <nav className="row small" aria-label="Breadcrumb">
        <a href={hrefFor(experimentPath(experimentId))}>{experiment.data?.name ?? `Experiment ${experimentId}`}</a>
        <span className="muted">/</span>
        <a href={hrefFor(`${experimentPath(experimentId)}/models`)}>Logged models</a>
      </nav>
      <h1>{info?.name ?? '\u00a0'}</h1>
      {model.error && <div className="inline-error" role="alert">{model.error.message}</div>}
      {model.data && info && (
        <>
          <LoggedModelOverview model={model.data} sourceRun={sourceRun.data} />
          <LoggedModelMetrics model={model.data} sourceRun={sourceRun.data} />
          <div className="two-col">
            <KeyValueTable title="Parameters" rows={(model.data.data?.params ?? []).map((p) => [p.key, p.value])} />
            <KeyValueTable title="Tags" rows={(info.tags ?? []).filter((t) => !OVERVIEW_TAGS.has(t.key)).map((t) => [t.key, t.value])} />
          </div>
          <ModelArtifacts experimentId={experimentId} modelId={modelId} artifactUri={info.artifact_uri} selected={artifactPath || undefined} />
        </>
      )}
    </div>
  );
}
