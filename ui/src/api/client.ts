import { getAuthorization, redirectToSignIn } from './session';

export type QueryValue = string | string[] | number | undefined;

export interface ApiFetchInit {
  method?: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  query?: Record<string, QueryValue>;
  body?: unknown;
  signal?: AbortSignal;
}

/** An API failure with MLflow's error JSON (`{error_code, message}`) read out. */
export class ApiError extends Error {
  override readonly name = 'ApiError';
  constructor(
    readonly status: number,
    readonly errorCode: string,
    message: string,
  ) {
    super(message);
  }
}

export const buildQuery = (query: Record<string, QueryValue> | undefined): string => {
  if (!query) return '';
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined) continue;
    if (Array.isArray(value)) for (const item of value) params.append(key, item);
    else params.append(key, String(value));
  }
  const text = params.toString();
  return text ? `?${text}` : '';
};

/** Headers every API call carries: the signed-in session's Authorization, when there is one. */
export const authHeaders = (): Record<string, string> => {
  const authorization = getAuthorization();
  return authorization ? { authorization } : {};
};

/** Reads MLflow's error JSON from a failed response; falls back to the status text for other bodies. */
export const errorFromResponse = async (response: Response): Promise<ApiError> => {
  const text = await response.text().catch(() => '');
  try {
    const json = JSON.parse(text) as { error_code?: unknown; message?: unknown };
    if (typeof json.error_code === 'string' || typeof json.message === 'string') {
      return new ApiError(
        response.status,
        typeof json.error_code === 'string' ? json.error_code : 'UNKNOWN',
        typeof json.message === 'string' ? json.message : response.statusText,
      );
    }
  } catch {
    // Not JSON: a proxy's page, for instance.
  }
  return new ApiError(response.status, 'UNKNOWN', text.slice(0, 300) || response.statusText || `HTTP ${response.status}`);
};

/**
 * Calls the Cairn API. `path` is absolute (`/api/2.0/mlflow/...`); GET sends `query` in the URL, other methods
 * send `body` as JSON. A 401 sends the user to sign-in and still rejects, so callers stop.
 */
export const apiFetch = async <T,>(path: string, init: ApiFetchInit = {}): Promise<T> => {
  const method = init.method ?? 'GET';
  const headers: Record<string, string> = { accept: 'application/json', ...authHeaders() };
  let body: string | undefined;
  if (init.body !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(init.body);
  }
  const response = await fetch(`${path}${buildQuery(init.query)}`, { method, headers, body, signal: init.signal });
  if (!response.ok) {
    const error = await errorFromResponse(response);
    if (response.status === 401) redirectToSignIn();
    throw error;
  }
  const text = await response.text();
  return (text ? JSON.parse(text) : {}) as T;
};
