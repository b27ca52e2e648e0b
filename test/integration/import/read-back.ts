import { expect } from 'vitest';
import type { TestApi } from '../../support/test-api.js';

const API = '/api/2.0/mlflow';

/** Every point of a history, page after page, as a client reads it. */
export const readHistory = async (api: TestApi, runId: string, key: string) => {
  const points: any[] = [];
  let pageToken: string | undefined;
  do {
    const page = await api.call('GET', `${API}/metrics/get-history`, {
      run_id: runId,
      metric_key: key,
      max_results: 25_000,
      ...(pageToken ? { page_token: pageToken } : {}),
    });
    expect(page.status).toBe(200);
    points.push(...(page.body.metrics ?? []));
    pageToken = page.body.next_page_token;
  } while (pageToken);
  return points;
};

/** A file through MLflow's proxied artifact service, by its path in the store. */
export const download = async (api: TestApi, path: string) => {
  const response = await api.request(`/api/2.0/mlflow-artifacts/artifacts/${path.split('/').map(encodeURIComponent).join('/')}`);
  return { status: response.status, bytes: Buffer.from(await response.arrayBuffer()) };
};
