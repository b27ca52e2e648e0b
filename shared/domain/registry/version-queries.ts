import { positionAt } from '../kernel/catalog.js';
import { snapshotPage } from '../kernel/snapshot-page.js';
import { PAGE_SIZES, pageSizeOf } from '../kernel/pagination.js';
import type { Visibility } from '../kernel/visibility.js';
import { latestVersionsByStage, PROMPT_TAG, requireModel } from './registered-models.js';
import type { RegistryPorts } from './ports.js';
import { parseStage } from './validation.js';
import {
  compareModelVersionKeys,
  isPromptFilter,
  modelVersionMatches,
  parseModelVersionFilter,
  parseModelVersionOrderBy,
  readModelVersionSortKey,
} from '../search/index.js';

export const getLatestVersions = async (deps: Pick<RegistryPorts, 'registry'>, name: string, stages: string[] | undefined) => {
  const canonical = stages?.map(parseStage);
  const model = await requireModel(deps, name);
  return latestVersionsByStage(await deps.registry.listVersions(model), canonical);
};

/**
 * SearchModelVersions; with `visible` (by model id), only versions of the models the caller may read: the other
 * models' versions are left out before paging.
 */
export const searchModelVersions = async (
  deps: Pick<RegistryPorts, 'registry'>,
  request: { filter?: string; orderBy?: string[]; maxResults?: number; pageToken?: string },
  visible?: Visibility,
) => {
  const maxResults = pageSizeOf(request.maxResults, PAGE_SIZES.searchModelVersions);
  const filter = parseModelVersionFilter(request.filter);
  const order = parseModelVersionOrderBy(request.orderBy);
  const scope = { kind: 'model-versions/search', request: [request.filter ?? '', request.orderBy ?? []], viewer: visible?.viewer };
  const withPrompts = isPromptFilter(filter);
  const catalog = await deps.registry.catalog();
  const shown = (modelId: string) => {
    const model = catalog.model(modelId);
    if (!model || (visible && !visible.sees(modelId))) return undefined;
    return withPrompts || model.value.tags[PROMPT_TAG] !== 'true' ? model.value : undefined;
  };
  const { page, nextPageToken } = snapshotPage({
    snapshot: { version: catalog.version, items: catalog.versions },
    pageToken: request.pageToken,
    scope,
    maxResults,
    include: (v) => shown(v.modelId) !== undefined && !v.deleted && modelVersionMatches(v, filter),
    // A version is placed by its model's name at the first page too: a model renamed since moves none of its versions.
    keyOf: (item, version) => {
      const at = positionAt(item, version);
      const model = catalog.model(at.modelId);
      const name = model ? positionAt(model, version).name : at.name;
      return name === at.name ? at : { ...at, name };
    },
    project: ({ modelId, name, version, creationTimestamp, lastUpdatedTimestamp }) => ({ modelId, name, version, creationTimestamp, lastUpdatedTimestamp }),
    readKey: readModelVersionSortKey,
    compare: compareModelVersionKeys(order),
  });
  return { page, nextPageToken };
};
