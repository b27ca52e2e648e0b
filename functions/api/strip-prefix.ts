/**
 * The API Gateway REST API serves the same app under two resource trees: `/{proxy+}` behind the token
 * authorizer and `/iam/{proxy+}` behind AWS_IAM (SigV4, for MLFLOW_TRACKING_AWS_SIGV4=true). REST (v1)
 * events carry the resource path without the stage in `event.path`, so a SigV4 request arrives as
 * `/iam/api/2.0/mlflow/...`; removing the segment here lets one set of routes serve both trees.
 *
 * Nothing else needs to know the prefix: the MLflow client builds every URL, `mlflow-artifacts:` ones
 * included, from its own tracking URI (`https://<api>/<stage>/iam`), and in AWS the server only answers
 * with S3 presigned URLs, never with URLs of its own.
 */
export const IAM_PATH_PREFIX = '/iam';

/** `path` without a leading `prefix` segment: `/iam/x` → `/x`, `/iam` → `/`, `/iamx` and `/x/iam` unchanged. */
export const stripPathPrefix = (path: string, prefix: string = IAM_PATH_PREFIX): string => {
  if (path === prefix || path === `${prefix}/`) return '/';
  return path.startsWith(`${prefix}/`) ? path.slice(prefix.length) : path;
};

/**
 * The event with the prefix removed from the path Hono routes on: `path` (REST v1) or `rawPath` (HTTP v2,
 * handled the same way so a later move to an HTTP API keeps working). Other fields are left as they came.
 */
export const withoutIamPrefix = <E extends object>(event: E): E => {
  const fields = event as { path?: unknown; rawPath?: unknown };
  const key = typeof fields.rawPath === 'string' ? 'rawPath' : typeof fields.path === 'string' ? 'path' : undefined;
  if (!key) return event;
  const path = fields[key] as string;
  const stripped = stripPathPrefix(path);
  return stripped === path ? event : { ...event, [key]: stripped };
};
