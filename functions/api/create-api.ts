import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { HTTPException } from 'hono/http-exception';
import { getPathNoStrict } from 'hono/utils/url';
import type { TrackingDeps } from '../../shared/domain/dependencies.js';
import { errorCodeForHttpStatus, MlflowError, requestTooLarge } from '../../shared/errors/index.js';
import { CAIRN_MLFLOW_VERSION } from '../../shared/domain/kernel/mlflow-version.js';
import type { ArtifactDeps } from '../../shared/domain/artifacts/artifacts.js';
import { artifactProxyRoutes, getArtifactRoute, runArtifactRoutes } from './routes/artifacts.js';
import { experimentRoutes } from './routes/experiments.js';
import { registryRoutes } from './routes/registry.js';
import { webhookRoutes } from './routes/webhooks.js';
import type { WebhookDeliveryLog, WebhookDeps } from '../../shared/domain/webhooks/ports.js';
import { cairnRoutes } from './routes/cairn.js';
import { deploymentRoutes } from './routes/deployments.js';
import type { DeploymentDeps } from '../../shared/domain/deployments/ports.js';
import { loggedModelRoutes } from './routes/logged-models.js';
import { metricRoutes } from './routes/metrics.js';
import { metricBucketRoutes } from './routes/metric-buckets.js';
import { runRoutes } from './routes/runs.js';
import { cairnRunRoutes } from './routes/cairn-runs.js';
import { uiArtifactRoutes, uiTrackingRoutes } from './routes/ui-endpoints.js';
import { authorization, type AuthorizationConfig } from './authorization/middleware.js';
import { authUserRoutes } from './routes/auth-users.js';
import { authPermissionRoutes } from './routes/auth-permissions.js';
import { authRoleRoutes } from './routes/auth-roles.js';
import { cairnAuthRoutes } from './routes/cairn-auth.js';
import { removeGrantsOnRegisteredModel } from '../../shared/domain/auth/grants.js';
import { cairnImportRoutes, type StorageDescription } from './routes/cairn-import.js';
import { evalDatasetRoutes } from './routes/eval-datasets.js';
import { scorerRoutes } from './routes/scorers.js';
import { otlpRoutes } from './routes/otlp.js';
import { traceArtifactRoute, traceRoutesV2, traceRoutesV3 } from './routes/traces.js';
import { assessmentRoutes } from './routes/assessments.js';
import { wireAssessmentsOf } from '../../shared/domain/genai/assessments-wire.js';
import { traceSearchV2Routes, traceSearchV3Routes } from './routes/trace-search.js';

export interface CreateApiOptions {
  /** Where unexpected errors are reported; they are answered with a generic 500. */
  readonly logError?: (error: unknown) => void;
  /** The artifact store and its settings; without it the artifact routes do not exist. */
  readonly artifacts?: ArtifactDeps;
  /**
   * Serves the URLs the local artifact store signs (`/_cairn/artifact-store/...`): local mode only, where
   * the server itself stands in for S3's presigned URLs.
   */
  readonly signedUrlHandler?: (request: Request) => Promise<Response | undefined>;
  /** Webhooks (shared/config/webhooks.ts); without them the webhook routes do not exist. */
  readonly webhooks?: WebhookDeps;
  /** Delivery records, for `GET /api/2.0/cairn/webhooks/<id>/deliveries`. */
  readonly webhookDeliveries?: WebhookDeliveryLog;
  /** Deployment policies, deployments, approvals and scoring (`/api/2.0/cairn/...`). */
  readonly deployments?: DeploymentDeps;
  /**
   * Authorization (users, grants, the caller's identity): every request then passes the decision table
   * (authorization/route-policy.ts). Without it, as MLflow without its auth app, every caller may do everything.
   */
  readonly auth?: AuthorizationConfig;
  /** Where metadata and files are kept, for `npm run import --to <URL>` (admins only); unknown when absent. */
  readonly storage?: StorageDescription;
}

/**
 * The whole HTTP API as one Hono app: the same object serves Lambda (functions/api/handler.ts) and
 * `npm start` (functions/local/server.ts). Every MLflow route exists under /api/2.0/mlflow and under
 * /ajax-api/2.0/mlflow, as in MLflow's server.
 */
export const createApi = (deps: TrackingDeps, options: CreateApiOptions = {}) => {
  const mlflow = new Hono()
    .route('/', experimentRoutes(deps))
    .route('/', runRoutes(deps))
    .route('/', metricRoutes(deps))
    .route('/', loggedModelRoutes(deps))
    .route('/', registryRoutes(deps, afterModelDeleted(options.auth)))
    .route('/', uiTrackingRoutes(deps));
  if (options.artifacts) mlflow.route('/', runArtifactRoutes(deps, options.artifacts)).route('/', uiArtifactRoutes(deps, options.artifacts));
  if (options.webhooks) mlflow.route('/', webhookRoutes(options.webhooks));
  // MLflow 3 traces: v2 RPCs under 2.0, v3 under 3.0, OTLP at the root; spans too big for an item go to the artifact store.
  const traceDeps = deps.traces && { ...deps, traces: deps.traces };
  const traceOptions = {
    ...(options.artifacts ? { artifacts: options.artifacts } : {}),
    ...(deps.assessments ? { assessmentsOf: wireAssessmentsOf(deps.assessments) } : {}),
  };
  if (deps.spanPayloads && options.artifacts) deps.spanPayloads.store ??= options.artifacts.store;
  // get-trace-artifact is MLflow's under /ajax-api only; here it has its /api twin as every route does.
  if (traceDeps) mlflow.route('/', traceRoutesV2(traceDeps, traceOptions)).route('/', traceArtifactRoute(traceDeps, traceOptions));
  // MLflow 3 tracing: search (v2 list here, v3 below) and assessments, where traces are wired.
  const genai3 = new Hono();
  if (deps.traces && deps.assessments) {
    const search = { traces: deps.traces, assessments: deps.assessments, ...(deps.traceIndex ? { traceIndex: deps.traceIndex } : {}) };
    mlflow.route('/', traceSearchV2Routes(search));
    genai3.route('/', traceSearchV3Routes(search)).route('/', assessmentRoutes({ ...search, now: deps.now }));
  }
  // MLflow's auth app adds its API to the server; without authorization, as without that app, it is not there.
  const auth = options.auth && { auth: options.auth.ports, registry: deps.registry, experiments: deps.experiments };
  if (auth) mlflow.route('/', authUserRoutes(auth)).route('/', authPermissionRoutes(auth));

  const app = new Hono({ getPath: routingPath });
  app.use(
    '*',
    authorization(options.auth, {
      ...deps,
      ...(options.deployments ? { deployments: options.deployments.deployments } : {}),
      ...(options.artifacts ? { store: options.artifacts } : {}),
    }),
  );
  // Scoring reads its own body (any JSON a model takes); the RPCs cap theirs in readRequestParams.
  app.use('/api/2.0/cairn/serving/*', bodyLimit({ maxSize: SCORING_BODY_BYTES, onError: () => { throw requestTooLarge(SCORING_BODY_BYTES); } }));
  app.get('/health', (c) => c.text('OK'));
  app.get('/version', (c) => c.text(CAIRN_MLFLOW_VERSION));
  // MLflow's UI alone queries GraphQL; Cairn serves its REST equivalents, and says so.
  app.all('/graphql', (c) =>
    c.json({ error_code: 'ENDPOINT_NOT_FOUND', message: 'Cairn does not serve GraphQL (/graphql); use the REST API under /api/2.0/mlflow.' }, 404),
  );
  app.route('/api/2.0/mlflow', mlflow);
  app.route('/api/2.0/cairn', cairnRoutes(deps, options.webhookDeliveries));
  app.route('/api/2.0/cairn', metricBucketRoutes(deps));
  app.route('/api/2.0/cairn', cairnRunRoutes(deps));
  app.route('/api/2.0/cairn', cairnImportRoutes(options.storage));
  if (options.deployments) app.route('/api/2.0/cairn', deploymentRoutes(options.deployments));
  app.route('/ajax-api/2.0/mlflow', mlflow);
  if (traceDeps) {
    const v3 = traceRoutesV3(traceDeps, traceOptions);
    app.route('/api/3.0/mlflow', v3);
    app.route('/ajax-api/3.0/mlflow', v3);
    app.route('/', otlpRoutes(traceDeps));
  }
  app.route('/api/3.0/mlflow', genai3);
  app.route('/ajax-api/3.0/mlflow', genai3);
  // MLflow 3 evaluation datasets and registered scorers: under 3.0 only, as MLflow registers them.
  if (deps.evalDatasets && deps.scorers) {
    const evaluation = new Hono()
      .route('/', evalDatasetRoutes({ experiments: deps.experiments, evalDatasets: deps.evalDatasets, now: deps.now }))
      .route('/', scorerRoutes({ experiments: deps.experiments, scorers: deps.scorers, now: deps.now }));
    app.route('/api/3.0/mlflow', evaluation);
    app.route('/ajax-api/3.0/mlflow', evaluation);
  }
  if (auth) {
    // Groups of users: MLflow's later roles API, under its 3.0 prefix.
    const roles = authRoleRoutes(auth);
    app.route('/api/3.0/mlflow', roles);
    app.route('/ajax-api/3.0/mlflow', roles);
    app.route('/api/2.0/cairn', cairnAuthRoutes(auth.auth));
  }
  if (options.artifacts) {
    const proxy = artifactProxyRoutes(deps, options.artifacts);
    app.route('/api', proxy);
    app.route('/ajax-api', proxy);
    app.route('/', getArtifactRoute(deps, options.artifacts));
  }
  const signed = options.signedUrlHandler;
  if (signed) app.all('/_cairn/artifact-store/*', async (c) => (await signed(c.req.raw)) ?? c.notFound());

  // An unknown route is a 404 whose error code the MLflow client reads as ENDPOINT_NOT_FOUND, which is
  // what its fallbacks key on.
  app.notFound((c) =>
    c.json({ error_code: 'ENDPOINT_NOT_FOUND', message: `No API endpoint for ${c.req.method} ${new URL(c.req.url).pathname}` }, 404),
  );
  // Every error a client of the MLflow API can meet is MLflow's JSON form; a message never outgrows
  // MAX_MESSAGE, whatever value it quotes.
  app.onError((error, c) => {
    if (error instanceof MlflowError) {
      if (error.httpStatus >= 500) options.logError?.(error);
      return c.json({ error_code: error.errorCode, message: cutMessage(error.message) }, error.httpStatus as 400);
    }
    if (error instanceof HTTPException) {
      const status = error.status;
      return c.json({ error_code: errorCodeForHttpStatus(status), message: cutMessage(error.message || 'Bad request') }, status);
    }
    (options.logError ?? console.error)(error);
    return c.json({ error_code: 'INTERNAL_ERROR', message: 'Internal error in the Cairn tracking server.' }, 500);
  });
  return app;
};

export type CairnApi = ReturnType<typeof createApi>;

const afterModelDeleted = (auth: AuthorizationConfig | undefined) =>
  auth ? { afterModelDeleted: (modelId: string) => removeGrantsOnRegisteredModel({ auth: auth.ports }, modelId) } : {};

/**
 * The path routes are matched on: a trailing slash ignored (Hono's `strict: false`), and runs of slashes read as one,
 * as Werkzeug's `merge_slashes` does for MLflow (clients that join a base URL ending in '/' send
 * `//model-versions/get-artifact`). Handlers that read a path out of the URL still see it as sent.
 */
const routingPath = (request: Request): string => getPathNoStrict(request).replace(/\/{2,}/g, '/');

/** SageMaker's real-time InvokeEndpoint takes at most 6 MB, as does a Lambda request. */
const SCORING_BODY_BYTES = 6 * 1024 * 1024;

/** Messages quote at most ECHO_LIMIT characters of a value; this bounds a message that quotes several. */
const MAX_MESSAGE = 4000;
const cutMessage = (message: string) => (message.length <= MAX_MESSAGE ? message : `${message.slice(0, MAX_MESSAGE)}…`);
