import type { ModelVersion } from './types';

/**
 * The versions table's filter, in the URL beside the model (`?stage=Production&alias=champion`): MLflow's
 * version search has neither stages nor aliases in its grammar, so the page filters the versions it read.
 * `alias` is an alias name, `*` for any alias, `-` for none.
 */
export interface VersionFilter {
  stage: string;
  alias: string;
}

export const ANY_ALIAS = '*';
export const NO_ALIAS = '-';

export const parseVersionFilter = (search: URLSearchParams): VersionFilter => ({ stage: search.get('stage') ?? '', alias: search.get('alias') ?? '' });

export const writeVersionFilter = (filter: VersionFilter): URLSearchParams => {
  const params = new URLSearchParams();
  if (filter.stage) params.set('stage', filter.stage);
  if (filter.alias) params.set('alias', filter.alias);
  return params;
};

export const stageOf = (version: ModelVersion) => version.current_stage || 'None';

export const filterVersions = (versions: readonly ModelVersion[], aliases: ReadonlyMap<string, string[]>, filter: VersionFilter): ModelVersion[] =>
  versions.filter((version) => {
    if (filter.stage && stageOf(version).toLowerCase() !== filter.stage.toLowerCase()) return false;
    const own = aliases.get(version.version) ?? [];
    if (filter.alias === ANY_ALIAS) return own.length > 0;
    if (filter.alias === NO_ALIAS) return own.length === 0;
    if (filter.alias) return own.includes(filter.alias);
    return true;
  });
