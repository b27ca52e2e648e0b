/**
 * The model registry over REST: `registered-models/search` (paged), then each model's versions through
 * `model-versions/search` filtered by its name (paged). Prompts (registered models tagged
 * `mlflow.prompt.is_prompt = 'true'`) are left out of both searches unless the filter asks for them, so they
 * come from a second pass that does. Deleted versions are never visible over REST.
 */
import type { SourceModelVersion, SourceRegisteredModel } from '../source.js';
import { pages, prefetch, type Page } from './concurrency.js';
import { RestSourceError, type RestClient } from './http.js';
import { list, parseModelVersion, parseRegisteredModel } from './wire.js';

const PROMPT_TAG = 'mlflow.prompt.is_prompt';
const PROMPT_FILTER = `tags.\`${PROMPT_TAG}\` = 'true'`;

/**
 * A filter clause selecting `name`. MLflow's parser (sqlparse, then `_strip_quotes`) only trims the quotes and
 * unescapes nothing, so a name is written in the quotes it does not contain; a name holding both kinds (or a
 * backslash, which LIKE may treat as an escape) is matched loosely with LIKE, each such character a `_`, and
 * the caller keeps only the exact name.
 */
export const nameClause = (name: string): { clause: string; exact: boolean } => {
  if (!name.includes("'") && !name.includes('\\')) return { clause: `name = '${name}'`, exact: true };
  if (!name.includes('"') && !name.includes('\\')) return { clause: `name = "${name}"`, exact: true };
  return { clause: `name LIKE '${name.replace(/['\\]/gu, '_')}'`, exact: false };
};

const isPrompt = (model: { tags: readonly { key: string; value: string }[] }) =>
  model.tags.some((tag) => tag.key === PROMPT_TAG && tag.value.toLowerCase() === 'true');

export interface RegistryPageSizes {
  readonly registeredModels: number;
  readonly modelVersions: number;
}

const tokenOf = (body: Record<string, unknown>) =>
  typeof body.next_page_token === 'string' && body.next_page_token !== '' ? body.next_page_token : undefined;

const readVersions = async (
  client: RestClient,
  model: Omit<SourceRegisteredModel, 'versions'>,
  pageSize: number,
): Promise<SourceModelVersion[]> => {
  const { clause, exact } = nameClause(model.name);
  const filter = isPrompt(model) ? `${clause} AND ${PROMPT_FILTER}` : clause;
  const versions = new Map<number, SourceModelVersion>();
  const fetchPage = async (token: string | undefined): Promise<Page<unknown>> => {
    const body = await client.getJson('/api/2.0/mlflow/model-versions/search', {
      filter,
      max_results: pageSize,
      ...(token !== undefined ? { page_token: token } : {}),
    });
    return { items: list(body.model_versions), ...(tokenOf(body) ? { nextPageToken: tokenOf(body) } : {}) };
  };
  for await (const page of pages(fetchPage, `model versions of ${model.name}`)) {
    for (const item of page) {
      if (!exact && (item as { name?: unknown }).name !== model.name) continue;
      const version = parseModelVersion(item);
      versions.set(version.version, version);
    }
  }
  return [...versions.values()].sort((a, b) => a.version - b.version);
};

async function* searchModels(client: RestClient, filter: string | undefined, pageSize: number): AsyncGenerator<readonly unknown[]> {
  const fetchPage = async (token: string | undefined): Promise<Page<unknown>> => {
    const body = await client.getJson('/api/2.0/mlflow/registered-models/search', {
      ...(filter !== undefined ? { filter } : {}),
      max_results: pageSize,
      ...(token !== undefined ? { page_token: token } : {}),
    });
    return { items: list(body.registered_models), ...(tokenOf(body) ? { nextPageToken: tokenOf(body) } : {}) };
  };
  yield* pages(fetchPage, filter ? 'prompts' : 'registered models');
}

/**
 * Every registered model (prompts included) with its live versions; a page's versions are read in parallel.
 * A server that refuses the prompt filter (MLflow before tag filters on registered models) has no prompts.
 */
export async function* readRegisteredModels(client: RestClient, sizes: RegistryPageSizes): AsyncGenerator<SourceRegisteredModel> {
  const seen = new Set<string>();
  for (const filter of [undefined, PROMPT_FILTER]) {
    let pagesRead = 0;
    try {
      for await (const page of searchModels(client, filter, sizes.registeredModels)) {
        pagesRead += 1;
        const models = page.map(parseRegisteredModel).filter((model) => {
          if (seen.has(model.name)) return false;
          seen.add(model.name);
          return true;
        });
        // Started together; the client's limiter bounds how many run at once.
        const withVersions = models.map((model) => prefetch(readVersions(client, model, sizes.modelVersions).then((versions) => ({ ...model, versions }))));
        for (const model of withVersions) yield await model;
      }
    } catch (error) {
      const refusedFilter = error instanceof RestSourceError && error.status === 400 && error.url.includes('/registered-models/search');
      if (filter === PROMPT_FILTER && pagesRead === 0 && refusedFilter) continue;
      throw error;
    }
  }
}
