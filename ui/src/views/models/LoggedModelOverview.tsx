import { tagValue, type LoggedModel, type Run } from '../../api/types';
import { hrefFor, runPath } from '../../app/router';
import { formatTime, runName } from '../runs/cells';

/** Set by the server when a registry version is created from this model: a JSON list of `{name, version}`. */
const MODEL_VERSIONS_TAG = 'mlflow.modelVersions';

/** The tags the overview presents, which the tags table leaves out. */
export const OVERVIEW_TAGS: ReadonlySet<string> = new Set(['mlflow.user', 'mlflow.source.name', 'mlflow.source.type', 'mlflow.source.git.commit', 'mlflow.source.git.branch', MODEL_VERSIONS_TAG]);

interface VersionLink {
  name: string;
  version: string;
}

/** The registry versions made from a logged model; a malformed tag (clients rewrite it) shows none, as MLflow does. */
export const registeredVersions = (tags: LoggedModel['info']['tags']): VersionLink[] => {
  const raw = tagValue(tags, MODEL_VERSIONS_TAG);
  if (!raw) return [];
  try {
    const parsed: unknown = JSON.parse(raw);
    if (!Array.isArray(parsed)) return [];
    return parsed.flatMap((entry: unknown) => {
      if (typeof entry !== 'object' || entry === null) return [];
      const { name, version } = entry as { name?: unknown; version?: unknown };
      return typeof name === 'string' && (typeof version === 'string' || typeof version === 'number') ? [{ name, version: String(version) }] : [];
    });
  } catch {
    return [];
  }
};

const versionPath = ({ name, version }: VersionLink) => `/models/${encodeURIComponent(name)}/versions/${encodeURIComponent(version)}`;

/**
 * The run the model was logged from, by its name as the runs table shows it, with its id underneath. Until the
 * run is read, or when it cannot be (purged, or another experiment the caller cannot read), the id is the link.
 */
const SourceRun = ({ experimentId, runId, run }: { experimentId: string; runId: string; run: Run | undefined }) => {
  const name = run?.info.run_id === runId ? runName(run) : undefined;
  return (
    <>
      <a href={hrefFor(runPath(experimentId, runId))} title={runId} className={name ? undefined : 'mono'}>
        {name ?? runId}
      </a>
      {name && name !== runId && <div className="muted small mono">{runId}</div>}
    </>
  );
};

/** Where the model was logged from: the script or notebook and its git commit, from the client's source tags. */
const LoggedFrom = ({ tags }: { tags: LoggedModel['info']['tags'] }) => {
  const source = tagValue(tags, 'mlflow.source.name');
  if (!source) return <>—</>;
  const type = tagValue(tags, 'mlflow.source.type');
  const commit = tagValue(tags, 'mlflow.source.git.commit');
  const branch = tagValue(tags, 'mlflow.source.git.branch');
  return (
    <span className="mono">
      {source}
      {type && ` (${type})`}
      {branch && <span className="muted"> on {branch}</span>}
      {commit && <span className="muted" title={commit}> @ {commit.slice(0, 7)}</span>}
    </span>
  );
};

/** Who made the model, when and from what, and what the registry made of it (MLflow's "About this logged model"). */
export const LoggedModelOverview = ({ model, sourceRun }: { model: LoggedModel; sourceRun: Run | undefined }) => {
  const { info } = model;
  const versions = registeredVersions(info.tags);
  const rows: [string, React.ReactNode][] = [
    ['Model ID', <span className="mono">{info.model_id}</span>],
    ['Status', `${info.status ?? ''}${info.status_message ? ` (${info.status_message})` : ''}`],
    ['Created', formatTime(info.creation_timestamp_ms)],
    ['Created by', tagValue(info.tags, 'mlflow.user') ?? '—'],
    ['Type', info.model_type || '—'],
    ['Source run', info.source_run_id ? <SourceRun experimentId={info.experiment_id} runId={info.source_run_id} run={sourceRun} /> : '—'],
    ['Logged from', <LoggedFrom tags={info.tags} />],
    [
      'Model versions',
      versions.length ? (
        <span className="row">
          {versions.map((v) => (
            <a key={`${v.name}/${v.version}`} href={hrefFor(versionPath(v))}>
              {v.name} v{v.version}
            </a>
          ))}
        </span>
      ) : '—',
    ],
    ['Artifact location', <span className="mono">{info.artifact_uri}</span>],
  ];
  return (
    <table className="kv overview" aria-label="Logged model overview">
      <tbody>
        {rows.map(([label, value]) => (
          <tr key={label}>
            <th scope="row" style={{ width: 150 }}>{label}</th>
            <td>{value}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
};
