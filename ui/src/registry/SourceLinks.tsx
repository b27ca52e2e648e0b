import { getLoggedModel, getRun } from '../api/mlflow';
import type { LoggedModel, Run } from '../api/types';
import { useAsync } from '../api/use-async';
import { hrefFor, loggedModelPath, runPath } from '../app/router';
import { runName } from '../views/runs/cells';

/** Runs and logged models read once per page load: a versions table names the same run many times. */
const runs = new Map<string, Promise<Run>>();
const loggedModels = new Map<string, Promise<LoggedModel>>();
const once = <T,>(cache: Map<string, Promise<T>>, key: string, load: () => Promise<T>) => {
  let found = cache.get(key);
  if (!found) {
    found = load();
    // A failure is not kept: the next page asks again.
    found.catch(() => cache.delete(key));
    cache.set(key, found);
  }
  return found;
};

/**
 * The run a version came from, by name and linked to its page. A run page needs its experiment, which only the
 * run itself says; until it is read, or when it cannot be (deleted, or not the caller's), the id stands alone.
 */
export const SourceRunLink = ({ runId, showId = false }: { runId: string; showId?: boolean }) => {
  const run = useAsync(() => once(runs, runId, () => getRun(runId)), [runId]);
  const info = run.data?.info;
  if (!info) return <span className="mono" title={run.error ? `${runId}: ${run.error.message}` : runId}>{runId.slice(0, 8)}</span>;
  const name = runName(run.data!);
  return (
    <>
      <a href={hrefFor(runPath(info.experiment_id, runId))} title={runId}>
        {name}
      </a>
      {showId && name !== runId && <div className="muted small mono">{runId}</div>}
    </>
  );
};

/** MLflow 3 registers a logged model by `models:/<model id>`; the version's source then names it. */
export const loggedModelIdOf = (source: string | undefined): string | undefined => {
  const match = source ? /^models:\/(m-[0-9a-zA-Z]+)\/?$/.exec(source) : null;
  return match?.[1];
};

export const LoggedModelLink = ({ modelId }: { modelId: string }) => {
  const model = useAsync(() => once(loggedModels, modelId, () => getLoggedModel(modelId)), [modelId]);
  const info = model.data?.info;
  if (!info) return <span className="mono">{modelId}</span>;
  return (
    <a href={hrefFor(loggedModelPath(info.experiment_id, modelId))} title={modelId}>
      {info.name} <span className="muted small mono">{modelId}</span>
    </a>
  );
};
