import { useCallback, useEffect, useRef, useState } from 'react';
import { getRun, searchRuns, searchRunsWithSummaries, type RunsQuery } from '../../api/mlflow';
import type { Run } from '../../api/types';

export interface RunsState {
  runs: Run[];
  nextPageToken: string | undefined;
  loading: boolean;
  loadingMore: boolean;
  error: Error | undefined;
  loadMore: () => void;
  reload: () => void;
  /** Applies a confirmed edit to loaded runs (undefined drops the run). */
  patch: (update: (run: Run) => Run | undefined) => void;
}

const PAGE_SIZE = 100;
export const LIVE_REFRESH_MS = 5000;
const LIVE_REFRESH_MAX = 25;

/**
 * Runs of a search, page by page (MLflow's page tokens as infinite scroll). Running runs are read again every
 * few seconds while the tab is visible; a hidden tab asks nothing.
 */
export const useRuns = (query: Omit<RunsQuery, 'pageToken' | 'maxResults'>, withSummaries: boolean): RunsState => {
  const [runs, setRuns] = useState<Run[]>([]);
  const [nextPageToken, setNextPageToken] = useState<string>();
  const [loading, setLoading] = useState(true);
  const [loadingMore, setLoadingMore] = useState(false);
  const [error, setError] = useState<Error>();
  const [version, setVersion] = useState(0);
  const generation = useRef(0);
  const key = JSON.stringify(query) + String(withSummaries);
  const search = withSummaries ? searchRunsWithSummaries : searchRuns;
  const queryRef = useRef(query);
  queryRef.current = query;

  useEffect(() => {
    const controller = new AbortController();
    const mine = ++generation.current;
    setLoading(true);
    search({ ...queryRef.current, maxResults: PAGE_SIZE }, controller.signal).then(
      (page) => {
        if (mine !== generation.current) return;
        setRuns(page.runs ?? []);
        setNextPageToken(page.next_page_token || undefined);
        setError(undefined);
        setLoading(false);
      },
      (reason: unknown) => {
        if (mine !== generation.current || controller.signal.aborted) return;
        setError(reason instanceof Error ? reason : new Error(String(reason)));
        setRuns([]);
        setNextPageToken(undefined);
        setLoading(false);
      },
    );
    return () => controller.abort();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key, version]);

  const loadMore = useCallback(() => {
    if (!nextPageToken || loadingMore || loading) return;
    const mine = generation.current;
    setLoadingMore(true);
    search({ ...queryRef.current, maxResults: PAGE_SIZE, pageToken: nextPageToken }).then(
      (page) => {
        if (mine !== generation.current) return;
        setRuns((current) => {
          const seen = new Set(current.map((r) => r.info.run_id));
          return [...current, ...(page.runs ?? []).filter((r) => !seen.has(r.info.run_id))];
        });
        setNextPageToken(page.next_page_token || undefined);
        setLoadingMore(false);
      },
      (reason: unknown) => {
        if (mine !== generation.current) return;
        setError(reason instanceof Error ? reason : new Error(String(reason)));
        setLoadingMore(false);
      },
    );
  }, [nextPageToken, loadingMore, loading, search]);

  const runningIds = runs.filter((r) => r.info.status === 'RUNNING').map((r) => r.info.run_id).slice(0, LIVE_REFRESH_MAX);
  const runningKey = runningIds.join(',');
  useEffect(() => {
    if (!runningKey) return;
    const ids = runningKey.split(',');
    let timer: ReturnType<typeof setInterval> | undefined;
    const tick = async () => {
      const fresh = await Promise.all(ids.map((id) => getRun(id).catch(() => undefined)));
      const byId = new Map(fresh.filter((r): r is Run => !!r).map((r) => [r.info.run_id, r]));
      setRuns((current) => current.map((run) => byId.get(run.info.run_id) ?? run));
    };
    const arm = () => {
      clearInterval(timer);
      timer = document.visibilityState === 'visible' ? setInterval(() => void tick(), LIVE_REFRESH_MS) : undefined;
    };
    arm();
    document.addEventListener('visibilitychange', arm);
    return () => {
      clearInterval(timer);
      document.removeEventListener('visibilitychange', arm);
    };
  }, [runningKey]);

  const reload = useCallback(() => setVersion((v) => v + 1), []);
  const patch = useCallback(
    (update: (run: Run) => Run | undefined) => setRuns((current) => current.map(update).filter((r): r is Run => !!r)),
    [],
  );
  return { runs, nextPageToken, loading, loadingMore, error, loadMore, reload, patch };
};
