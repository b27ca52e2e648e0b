import { decodeOffsetPageToken, offsetPage } from '../kernel/page-token.js';
import { PAGE_SIZES, pageSizeOf } from '../kernel/pagination.js';
import type { Visibility } from '../kernel/visibility.js';
import { latestVersionsByStage, PROMPT_TAG, requireModel } from './registered-models.js';
import type { RegistryPorts } from './ports.js';
import { parseStage } from './validation.js';
import {
  compareModelVersions,
  isPromptFilter,
  modelVersionMatches,
  parseModelVersionFilter,
  parseModelVersionOrderBy,
} from '../search/index.js';

export const getLatestVersions = async (deps: Pick<RegistryPorts, 'registry'>, name: string, stages: string[] | undefined) => {
  const canonical = stages?.map(parseStage);
  const model = await requireModel(deps, name);
  return latestVersionsByStage(await deps.registry.listVersions(model), canonical);
};

/**
 * SearchModelVersions; with `visible` (by model id), only versions of the models the caller may read: the other
 * models are left out before their versions are read.
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
  const offset = decodeOffsetPageToken(request.pageToken, scope);
  const withPrompts = isPromptFilter(filter);
  const models = (await deps.registry.listModels())
    .filter((m) => !visible || visible.sees(m.modelId))
    .filter((m) => withPrompts || m.tags[PROMPT_TAG] !== 'true');
  const versions = (await deps.registry.listAllVersions(models))
    .filter((v) => !v.deleted)
    .filter((v) => modelVersionMatches({ ...v, runId: v.runId }, filter))
    .sort(compareModelVersions(order));
  return offsetPage(versions, scope, offset, maxResults);
};
