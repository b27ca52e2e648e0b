import { describe, expect, it } from 'vitest';
import { createModelVersion, transitionModelVersionStage } from '../../../../shared/domain/registry/model-versions.js';
import { createRegisteredModel, searchRegisteredModels } from '../../../../shared/domain/registry/registered-models.js';
import { searchModelVersions } from '../../../../shared/domain/registry/version-queries.js';
import { MlflowError } from '../../../../shared/errors/index.js';
import { createRegistryPorts } from '../../../support/fakes/registry.js';

const rejection = async (promise: Promise<unknown>) => promise.then(() => undefined, (error: unknown) => error);
const codeOf = async (promise: Promise<unknown>) => {
  const error = await rejection(promise);
  expect(error).toBeInstanceOf(MlflowError);
  return (error as MlflowError).errorCode;
};

const seeded = async () => {
  const registry = createRegistryPorts();
  const { ports } = registry;
  for (const name of ['delta', 'alpha', 'charlie', 'bravo', 'echo']) {
    await createRegisteredModel(ports, { name, tags: [{ key: 'team', value: name < 'c' ? 'a-team' : 'b-team' }] });
    await createModelVersion(ports, { name, source: `s3://b/${name}/1`, runId: `run-${name}`, tags: [] });
    await createModelVersion(ports, { name, source: `s3://b/${name}/2`, tags: [] });
  }
  await createRegisteredModel(ports, { name: 'a-prompt', tags: [{ key: 'mlflow.prompt.is_prompt', value: 'true' }] });
  return registry;
};

/** Every page of a search, following its tokens. */
const allPages = async <T>(search: (pageToken?: string) => Promise<{ page: T[]; nextPageToken?: string }>) => {
  const pages: T[][] = [];
  let token: string | undefined;
  do {
    const { page, nextPageToken } = await search(token);
    pages.push(page);
    token = nextPageToken;
  } while (token);
  return pages;
};

describe('registered model search', () => {
  it('pages by name with tokens, leaving prompts out, each model with its latest version per stage', async () => {
    const { ports } = await seeded();
    await transitionModelVersionStage(ports, 'alpha', '1', 'Staging', false);
    const pages = await allPages((pageToken) => searchRegisteredModels(ports, { maxResults: 2, pageToken }));
    expect(pages.map((page) => page.map((p) => p.model.name))).toEqual([['alpha', 'bravo'], ['charlie', 'delta'], ['echo']]);
    expect(pages[0]?.[0]?.latest.map((v) => [v.version, v.currentStage])).toEqual([
      [1, 'Staging'],
      [2, 'None'],
    ]);
  });

  it('filters and orders as MLflow does; a prompt filter shows prompts', async () => {
    const { ports } = await seeded();
    const found = await searchRegisteredModels(ports, { filter: "tags.team = 'a-team'", orderBy: ['name DESC'] });
    expect(found.page.map((p) => p.model.name)).toEqual(['bravo', 'alpha']);
    const prompts = await searchRegisteredModels(ports, { filter: "tags.`mlflow.prompt.is_prompt` = 'true'" });
    expect(prompts.page.map((p) => p.model.name)).toEqual(['a-prompt']);
  });

  it('refuses max_results over 1000 and a token from another search, changing nothing', async () => {
    const { ports } = await seeded();
    expect(await codeOf(searchRegisteredModels(ports, { maxResults: 1001 }))).toBe('INVALID_PARAMETER_VALUE');
    expect(await codeOf(searchRegisteredModels(ports, { maxResults: 0 }))).toBe('INVALID_PARAMETER_VALUE');
    const { nextPageToken } = await searchRegisteredModels(ports, { maxResults: 1 });
    expect(nextPageToken).toBeDefined();
    expect(await codeOf(searchRegisteredModels(ports, { filter: "name = 'alpha'", maxResults: 1, pageToken: nextPageToken }))).toBe(
      'INVALID_PARAMETER_VALUE',
    );
    expect(await codeOf(searchRegisteredModels(ports, { pageToken: 'not-a-token' }))).toBe('INVALID_PARAMETER_VALUE');
  });
});

describe('model version search', () => {
  it('filters by name and run, and pages', async () => {
    const { ports } = await seeded();
    const byName = await searchModelVersions(ports, { filter: "name = 'charlie'" });
    expect(byName.page.map((v) => [v.name, v.version])).toHaveLength(2);
    const byRun = await searchModelVersions(ports, { filter: "run_id = 'run-echo'" });
    expect(byRun.page.map((v) => [v.name, v.version])).toEqual([['echo', 1]]);
    const pages = await allPages((pageToken) => searchModelVersions(ports, { maxResults: 4, pageToken }));
    expect(pages.map((p) => p.length)).toEqual([4, 4, 2]);
    expect(new Set(pages.flat().map((v) => `${v.name}/${v.version}`)).size).toBe(10);
  });

  it('refuses max_results over 200000', async () => {
    const { ports } = await seeded();
    expect(await codeOf(searchModelVersions(ports, { maxResults: 200_001 }))).toBe('INVALID_PARAMETER_VALUE');
  });
});

describe('registry searches filtered by visibility (model ids)', () => {
  /** A viewer who may read the models named `names` (by their ids, as grants are kept). */
  const readerOf = async (ports: Awaited<ReturnType<typeof seeded>>['ports'], viewer: string, names: string[]) => {
    const ids = new Set((await searchRegisteredModels(ports, {})).page.filter((p) => names.includes(p.model.name)).map((p) => p.model.modelId));
    return { viewer, sees: (id: string) => ids.has(id) };
  };

  it('pages through the readable models only, each once, and refuses another viewer\'s token', async () => {
    const { ports } = await seeded();
    const alice = await readerOf(ports, 'user:1', ['alpha', 'charlie', 'echo']);
    const bob = await readerOf(ports, 'user:2', ['bravo']);
    const pages = await allPages((pageToken) => searchRegisteredModels(ports, { maxResults: 1, pageToken }, alice));
    expect(pages.map((page) => page.map((p) => p.model.name))).toEqual([['alpha'], ['charlie'], ['echo']]);
    const { nextPageToken } = await searchRegisteredModels(ports, { maxResults: 1 }, alice);
    expect(await codeOf(searchRegisteredModels(ports, { maxResults: 1, pageToken: nextPageToken }, bob))).toBe('INVALID_PARAMETER_VALUE');
  });

  it('answers only the versions of readable models, paging over them', async () => {
    const { ports } = await seeded();
    const alice = await readerOf(ports, 'user:1', ['bravo', 'delta']);
    const pages = await allPages((pageToken) => searchModelVersions(ports, { maxResults: 3, orderBy: ['name', 'version_number'], pageToken }, alice));
    expect(pages.map((page) => page.map((v) => `${v.name}/${v.version}`))).toEqual([['bravo/1', 'bravo/2', 'delta/1'], ['delta/2']]);
    expect((await searchModelVersions(ports, { filter: "name = 'alpha'" }, alice)).page).toEqual([]);
  });
});
