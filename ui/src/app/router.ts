import { useSyncExternalStore } from 'react';

/**
 * A hash router: MLflow's links are hash routes (`/#/experiments/1/runs/<id>`), and the hash keeps every view
 * reachable from one index.html on any static host. The hash is the whole state of a page, search included.
 */
export interface HashLocation {
  path: string;
  search: URLSearchParams;
}

export const parseHash = (hash: string): HashLocation => {
  const raw = hash.replace(/^#/, '') || '/';
  const at = raw.indexOf('?');
  const path = at < 0 ? raw : raw.slice(0, at);
  return { path: path.startsWith('/') ? path : `/${path}`, search: new URLSearchParams(at < 0 ? '' : raw.slice(at + 1)) };
};

const subscribe = (onChange: () => void) => {
  window.addEventListener('hashchange', onChange);
  return () => window.removeEventListener('hashchange', onChange);
};

const currentHash = () => window.location.hash;

export const useHashLocation = (): HashLocation => {
  const hash = useSyncExternalStore(subscribe, currentHash, () => '');
  return parseHash(hash);
};

export const hrefFor = (path: string, search?: URLSearchParams | Record<string, string>): string => {
  const params = search instanceof URLSearchParams ? search : new URLSearchParams(search ?? {});
  const query = params.toString();
  return `#${path}${query ? `?${query}` : ''}`;
};

/** Moves to a route; `replace` changes the URL without a history entry (state edits such as typing a filter). */
export const navigate = (to: string, options: { replace?: boolean } = {}): void => {
  const target = to.startsWith('#') ? to : `#${to}`;
  if (target === window.location.hash) return;
  if (options.replace) {
    window.history.replaceState(window.history.state, '', target);
    window.dispatchEvent(new HashChangeEvent('hashchange'));
  } else {
    window.location.hash = target;
  }
};

/** A history route (`/experiments/1`) typed into the address bar becomes the same hash route. */
export const adoptHistoryRoute = (): void => {
  const { pathname, search, hash } = window.location;
  if (pathname !== '/' && pathname !== '/index.html' && !hash) {
    window.history.replaceState(null, '', `/#${pathname}${search}`);
  }
};

export type Route =
  | { name: 'experiments' }
  | { name: 'experiment'; experimentId: string; tab: 'runs' | 'models' | 'traces' }
  | { name: 'trace'; experimentId: string; traceId: string }
  | { name: 'run'; experimentId: string; runId: string; artifactPath: string | undefined }
  | { name: 'loggedModel'; experimentId: string; modelId: string; artifactPath: string | undefined }
  | { name: 'compare' }
  | { name: 'models' }
  | { name: 'model'; modelName: string }
  | { name: 'modelVersion'; modelName: string; version: string }
  | { name: 'signin' }
  | { name: 'notFound'; path: string };

const segment = (value: string | undefined) => (value === undefined ? '' : decodeURIComponent(value));

/** The views of MLflow's links, and Cairn's own. */
export const matchRoute = (path: string): Route => {
  const parts = path.split('/').filter(Boolean);
  const [first, id, second, third, ...rest] = parts;
  if (parts.length === 0 || (first === 'experiments' && parts.length === 1)) return { name: 'experiments' };
  if (first === 'signin') return { name: 'signin' };
  if (first === 'compare-runs') return { name: 'compare' };
  if (first === 'experiments' && id) {
    const experimentId = segment(id);
    const artifactPath = rest[0] === 'artifacts' ? rest.slice(1).map(segment).join('/') : undefined;
    if (second === 'runs' && third) return { name: 'run', experimentId, runId: segment(third), artifactPath };
    if (second === 'models' && third) return { name: 'loggedModel', experimentId, modelId: segment(third), artifactPath };
    if (second === 'traces' && third) return { name: 'trace', experimentId, traceId: segment(third) };
    return { name: 'experiment', experimentId, tab: second === 'models' || second === 'traces' ? second : 'runs' };
  }
  if (first === 'models') {
    if (!id) return { name: 'models' };
    if (second === 'versions' && third) return { name: 'modelVersion', modelName: segment(id), version: segment(third) };
    return { name: 'model', modelName: segment(id) };
  }
  return { name: 'notFound', path };
};

const artifactSuffix = (artifactPath: string | undefined) =>
  artifactPath ? `/artifacts/${artifactPath.split('/').map(encodeURIComponent).join('/')}` : '';

export const runPath = (experimentId: string, runId: string, artifactPath?: string) =>
  `/experiments/${encodeURIComponent(experimentId)}/runs/${encodeURIComponent(runId)}${artifactSuffix(artifactPath)}`;

/** A logged model's page (MLflow 3), optionally on one of its artifacts. */
export const loggedModelPath = (experimentId: string, modelId: string, artifactPath?: string) =>
  `/experiments/${encodeURIComponent(experimentId)}/models/${encodeURIComponent(modelId)}${artifactSuffix(artifactPath)}`;

export const experimentPath = (experimentId: string) => `/experiments/${encodeURIComponent(experimentId)}`;

/** MLflow's compare link: JSON arrays in the query (`?runs=["a","b"]&experiments=["1"]`). */
export const comparePath = (runIds: readonly string[], experimentIds: readonly string[]) =>
  `/compare-runs?${new URLSearchParams({ runs: JSON.stringify(runIds), experiments: JSON.stringify(experimentIds) })}`;
