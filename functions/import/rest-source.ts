/**
 * The import source for a running MLflow server (any backend: SQL or file store), read through MLflow's REST
 * API only (shared/mlflow-api.md; request shapes as `mlflow/store/tracking/rest_store.py` sends them):
 *
 * - experiments: `POST experiments/search` with `view_type: ALL`, paged;
 * - runs: `POST runs/search` per experiment with `run_view_type: ALL`, paged; each run carries its params,
 *   tags, latest metrics (their keys), dataset and model inputs and model outputs;
 * - metric histories: `GET metrics/get-history`, paged, every point (`get-history-bulk-interval` samples);
 * - logged models: `POST logged-models/search` per experiment, paged (none on servers older than MLflow 3);
 * - registered models and versions: rest/registry.ts; artifacts: rest/artifact-routes.ts.
 *
 * What MLflow's REST API does not show cannot come from a server: soft-deleted logged models and model
 * versions, and (SQL store) ±Infinity metric values, which that store keeps as ±1.7976931348623157e308.
 */
import type { ImportSource, SourceArtifact, SourceExperiment, SourceLoggedModel, SourceMetricPoint, SourceRun } from './source.js';
import { routeOf, assertSafeRelativePath, type ArtifactAccess, type ArtifactOwner } from './rest/artifact-routes.js';
import { downloadUrlOf, listArtifacts } from './rest/artifacts.js';
import { createLimiter, pages, type Page } from './rest/concurrency.js';
import { createRestClient, DEFAULT_RETRY, DEFAULT_TIMEOUT_MS, RestSourceError, type Json, type RestAuth, type RetryPolicy } from './rest/http.js';
import { readRegisteredModels } from './rest/registry.js';
import { list, parseExperiment, parseLoggedModel, parseMetric, parseRun } from './rest/wire.js';

export { RestSourceError, type RestAuth } from './rest/http.js';
export type { ArtifactAccess } from './rest/artifact-routes.js';

export interface RestSourceOptions {
  /** The tracking URI, e.g. `https://mlflow.example.com` or `http://host:5000/prefix`. */
  readonly url: string;
  /** As MLflow's client sends them (`MLFLOW_TRACKING_USERNAME`/`_PASSWORD` → Basic, `MLFLOW_TRACKING_TOKEN` → Bearer). */
  readonly auth?: RestAuth;
  /** Requests in flight at once, across every listing and download of this source. @default 8 */
  readonly concurrency?: number;
  readonly fetch?: typeof globalThis.fetch;
  /** Tries and backoff on 408/429/5xx and network failures. @default 6 tries, 0.5 s doubling, at most 20 s apart */
  readonly retry?: Partial<RetryPolicy>;
  /** Per request (for a download: until its headers arrive). @default 120 s */
  readonly timeoutMs?: number;
  /** Caps every page's `max_results` (tests, or a server with a lower limit). */
  readonly pageSize?: number;
  /** `'owner'` reads even `mlflow-artifacts:` roots through the run / logged-model routes. @default 'auto' */
  readonly artifactAccess?: ArtifactAccess;
  /** Waits between retries. */
  readonly sleep?: (ms: number) => Promise<void>;
}

/** MLflow's largest pages: runs and experiments 50,000 (1,000 asked, as MLflow's client does), registered models 1,000. */
const PAGE = { experiments: 1000, runs: 1000, history: 25_000, loggedModels: 1000, registeredModels: 1000, modelVersions: 10_000 };

const tokenOf = (body: Json) => (typeof body.next_page_token === 'string' && body.next_page_token !== '' ? body.next_page_token : undefined);

const pageOf = <T>(items: T[], body: Json): Page<T> => {
  const token = tokenOf(body);
  return token === undefined ? { items } : { items, nextPageToken: token };
};

/** Splits `https://user:pass@host/x` into the URL without credentials and Basic credentials (fetch refuses such URLs). */
const splitCredentials = (url: string, auth: RestAuth | undefined): { baseUrl: string; auth?: RestAuth } => {
  const parsed = new URL(url);
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new Error(`an MLflow server URL must be http(s), got ${url}`);
  const fromUrl: RestAuth | undefined = parsed.username
    ? { kind: 'basic', username: decodeURIComponent(parsed.username), password: decodeURIComponent(parsed.password) }
    : undefined;
  parsed.username = '';
  parsed.password = '';
  parsed.hash = '';
  const baseUrl = parsed.toString().replace(/\/+$/u, '');
  const chosen = auth ?? fromUrl;
  return chosen ? { baseUrl, auth: chosen } : { baseUrl };
};

/** A server without an endpoint answers a non-JSON 404 (Flask) or ENDPOINT_NOT_FOUND. */
const isMissingEndpoint = (error: unknown) =>
  error instanceof RestSourceError && error.status === 404 && (error.errorCode === undefined || error.errorCode === 'ENDPOINT_NOT_FOUND');

export const createRestSource = (options: RestSourceOptions): ImportSource => {
  const { baseUrl, auth } = splitCredentials(options.url, options.auth);
  const concurrency = options.concurrency ?? 8;
  const limiter = createLimiter(concurrency);
  const client = createRestClient({
    baseUrl,
    ...(auth ? { auth } : {}),
    limiter,
    fetch: options.fetch ?? globalThis.fetch,
    retry: { ...DEFAULT_RETRY, ...options.retry },
    timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    ...(options.sleep ? { sleep: options.sleep } : {}),
  });
  const size = (largest: number) => Math.min(largest, options.pageSize ?? largest);
  const access = options.artifactAccess ?? 'auto';
  // Artifact roots the source has handed out, so a root on storage only the server reads finds its owner.
  const owners = new Map<string, ArtifactOwner>();
  const remember = (rootUri: string, owner: ArtifactOwner) => {
    if (rootUri !== '') owners.set(rootUri.replace(/\/+$/u, ''), owner);
  };
  const routeFor = (rootUri: string) => routeOf(rootUri, baseUrl, owners.get(rootUri.replace(/\/+$/u, '')), access);

  async function* experiments(): AsyncGenerator<SourceExperiment> {
    const seen = new Set<string>();
    // MLflow before 1.28 has no experiments/search, only the (since removed) experiments/list.
    let listInstead = false;
    const fetchPage = async (token: string | undefined) => {
      const request = { view_type: 'ALL', max_results: size(PAGE.experiments), ...(token !== undefined ? { page_token: token } : {}) };
      let body: Json;
      if (listInstead) body = await client.getJson('/api/2.0/mlflow/experiments/list', request);
      else {
        try {
          body = await client.postJson('/api/2.0/mlflow/experiments/search', request);
        } catch (error) {
          if (token !== undefined || !isMissingEndpoint(error)) throw error;
          listInstead = true;
          body = await client.getJson('/api/2.0/mlflow/experiments/list', request);
        }
      }
      return pageOf(list(body.experiments).map(parseExperiment), body);
    };
    for await (const page of pages(fetchPage, 'experiments')) {
      for (const experiment of page) {
        // Offset pages shift when the server changes under the import; never hand out one twice.
        if (seen.has(experiment.experimentId)) continue;
        seen.add(experiment.experimentId);
        yield experiment;
      }
    }
  }

  async function* runs(experimentId: string): AsyncGenerator<SourceRun> {
    const seen = new Set<string>();
    const fetchPage = async (token: string | undefined) => {
      const body = await client.postJson('/api/2.0/mlflow/runs/search', {
        experiment_ids: [experimentId],
        run_view_type: 'ALL',
        max_results: size(PAGE.runs),
        ...(token !== undefined ? { page_token: token } : {}),
      });
      return pageOf(list(body.runs).map(parseRun), body);
    };
    for await (const page of pages(fetchPage, `runs of experiment ${experimentId}`)) {
      for (const run of page) {
        if (seen.has(run.runId)) continue;
        seen.add(run.runId);
        remember(run.artifactUri, { kind: 'run', runId: run.runId });
        yield run;
      }
    }
  }

  async function* metricHistory(runId: string, key: string): AsyncGenerator<readonly SourceMetricPoint[]> {
    const fetchPage = async (token: string | undefined) => {
      const body = await client.getJson('/api/2.0/mlflow/metrics/get-history', {
        run_id: runId,
        run_uuid: runId,
        metric_key: key,
        max_results: size(PAGE.history),
        ...(token !== undefined ? { page_token: token } : {}),
      });
      return pageOf(list(body.metrics).map(parseMetric), body);
    };
    for await (const page of pages(fetchPage, `history of ${key} in run ${runId}`)) {
      if (page.length > 0) yield page;
    }
  }

  async function* loggedModels(experimentId: string): AsyncGenerator<SourceLoggedModel> {
    const seen = new Set<string>();
    const fetchPage = async (token: string | undefined) => {
      const body = await client.postJson('/api/2.0/mlflow/logged-models/search', {
        experiment_ids: [experimentId],
        max_results: size(PAGE.loggedModels),
        ...(token !== undefined ? { page_token: token } : {}),
      });
      return pageOf(list(body.models).map(parseLoggedModel), body);
    };
    try {
      for await (const page of pages(fetchPage, `logged models of experiment ${experimentId}`)) {
        for (const model of page) {
          if (seen.has(model.modelId)) continue;
          seen.add(model.modelId);
          remember(model.artifactLocation, { kind: 'model', modelId: model.modelId });
          yield model;
        }
      }
    } catch (error) {
      // MLflow 2 servers have no logged models, hence no such endpoint.
      if (seen.size === 0 && isMissingEndpoint(error)) return;
      throw error;
    }
  }

  async function* artifacts(rootUri: string): AsyncGenerator<SourceArtifact> {
    yield* listArtifacts(client, routeFor(rootUri), rootUri, concurrency);
  }

  return {
    description: `MLflow server ${baseUrl}`,
    experiments,
    runs,
    metricHistory,
    loggedModels,
    registeredModels: () => readRegisteredModels(client, { registeredModels: size(PAGE.registeredModels), modelVersions: size(PAGE.modelVersions) }),
    artifacts,
    readArtifact: async (rootUri, path) => client.download(downloadUrlOf(client, routeFor(rootUri), assertSafeRelativePath(path, rootUri))),
  };
};
