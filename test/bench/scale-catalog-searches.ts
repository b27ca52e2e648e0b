/**
 * The searches `scale-catalog.ts` measures, by name, so the driver (warm figures) and its cold probe
 * (`scale-catalog-child.ts`, a new process per sample) run exactly the same calls. Each answers how many items
 * its page held, so a search that silently answers nothing is seen in the figures.
 */
import type { TrackingDeps } from '../../shared/domain/dependencies.js';
import { searchExperiments } from '../../shared/domain/tracking/experiments.js';
import { searchLoggedModels } from '../../shared/domain/tracking/logged-models.js';
import { searchRegisteredModels } from '../../shared/domain/registry/registered-models.js';
import { searchModelVersions } from '../../shared/domain/registry/version-queries.js';

/** Where the loaded catalog is: the experiment holding the logged models. */
export interface CatalogPlace {
  loggedModelExperimentId: string;
}

export interface CatalogSearch {
  name: string;
  /** The expected page size when the catalog is fully loaded (checked, never timed against). */
  expect: number | ((sizes: CatalogSizes) => number);
  run(deps: TrackingDeps, place: CatalogPlace): Promise<number>;
}

export interface CatalogSizes {
  experiments: number;
  models: number;
  versionsPerModel: number;
  loggedModels: number;
}

/** How many names `exp-1…` among exp-1 … exp-n (the filter `name LIKE 'exp-1%'`). */
const countPrefixed = (n: number, prefix: string): number => {
  let count = 0;
  for (let i = 1; i <= n; i++) if (String(i).startsWith(prefix)) count++;
  return count;
};

const pageOf = (size: number, available: number) => Math.min(size, available);

export const CATALOG_SEARCHES: readonly CatalogSearch[] = [
  {
    name: 'experiments, default order, 100',
    expect: (s) => pageOf(100, s.experiments + 2),
    run: async (deps) => (await searchExperiments(deps, { maxResults: 100 })).page.length,
  },
  {
    name: 'experiments, default order, 1000',
    expect: (s) => pageOf(1000, s.experiments + 2),
    run: async (deps) => (await searchExperiments(deps, { maxResults: 1000 })).page.length,
  },
  {
    name: "experiments, name LIKE 'exp-1%', 100",
    expect: (s) => pageOf(100, countPrefixed(s.experiments, '1')),
    run: async (deps) => (await searchExperiments(deps, { filter: "name LIKE 'exp-1%'", maxResults: 100 })).page.length,
  },
  {
    name: "experiments, name LIKE 'exp-1%', 1000",
    expect: (s) => pageOf(1000, countPrefixed(s.experiments, '1')),
    run: async (deps) => (await searchExperiments(deps, { filter: "name LIKE 'exp-1%'", maxResults: 1000 })).page.length,
  },
  {
    name: 'registered models, default order, 100',
    expect: (s) => pageOf(100, s.models),
    run: async (deps) => (await searchRegisteredModels(deps, { maxResults: 100 })).page.length,
  },
  {
    name: "registered models, name LIKE 'model-1%', 100",
    expect: (s) => pageOf(100, countPrefixed(s.models, '1')),
    run: async (deps) => (await searchRegisteredModels(deps, { filter: "name LIKE 'model-1%'", maxResults: 100 })).page.length,
  },
  {
    name: 'model versions, default order, 100',
    expect: (s) => pageOf(100, s.models * s.versionsPerModel),
    run: async (deps) => (await searchModelVersions(deps, { maxResults: 100 })).page.length,
  },
  {
    name: 'model versions, default order, 1000',
    expect: (s) => pageOf(1000, s.models * s.versionsPerModel),
    run: async (deps) => (await searchModelVersions(deps, { maxResults: 1000 })).page.length,
  },
  {
    name: "model versions, name = 'model-77', default max",
    expect: (s) => (s.models >= 77 ? s.versionsPerModel : 0),
    run: async (deps) => (await searchModelVersions(deps, { filter: "name = 'model-77'" })).page.length,
  },
  {
    name: 'logged models, default order, 50',
    expect: (s) => pageOf(50, s.loggedModels),
    run: async (deps, place) =>
      (await searchLoggedModels(deps, { experimentIds: [place.loggedModelExperimentId], maxResults: 50 })).page.length,
  },
  {
    // Any order but the default one goes through the search index (a snapshot plus dirty marks).
    name: 'logged models, ordered by a metric (acc DESC), 100',
    expect: (s) => pageOf(100, s.loggedModels),
    run: async (deps, place) =>
      (
        await searchLoggedModels(deps, {
          experimentIds: [place.loggedModelExperimentId],
          orderBy: [{ fieldName: 'metrics.acc', ascending: false }],
          maxResults: 100,
        })
      ).page.length,
  },
  {
    name: 'logged models, metrics.acc > 0.5 by acc DESC, 100',
    // Half the models, roughly: checked as "some", never exactly.
    expect: (s) => (s.loggedModels >= 400 ? 100 : -1),
    run: async (deps, place) =>
      (
        await searchLoggedModels(deps, {
          experimentIds: [place.loggedModelExperimentId],
          filter: 'metrics.acc > 0.5',
          orderBy: [{ fieldName: 'metrics.acc', ascending: false }],
          maxResults: 100,
        })
      ).page.length,
  },
];

export const searchNamed = (name: string): CatalogSearch => {
  const search = CATALOG_SEARCHES.find((s) => s.name === name);
  if (!search) throw new Error(`no catalog search named ${JSON.stringify(name)}`);
  return search;
};
