import { invalidParameter } from '../../errors/index.js';
import type { ModelVersion } from './entities.js';
import { eventModelTags, requireModel } from './registered-models.js';
import { aliasesOf, requireVersion } from './model-versions.js';
import type { RegistryPorts } from './ports.js';
import { modelVersionNotFound, parseVersion, registeredModelNotFound, validateAlias } from './validation.js';

/** SetRegisteredModelAlias: the version must exist; setting an existing alias moves it. */
export const setAlias = async (deps: Pick<RegistryPorts, 'registry' | 'promotions' | 'now'>, name: string, alias: string, versionText: string) => {
  validateAlias(alias);
  const number = parseVersion(versionText);
  const model = await requireModel(deps, name);
  await deps.registry.change(model.modelId, async (current) => {
    if (!current) throw registeredModelNotFound(name);
    const version = await deps.registry.getVersion(current, number);
    if (!version || version.deleted) throw modelVersionNotFound(name, number);
    const promotion = await deps.promotions?.plan(current, version, { kind: 'alias', alias }, deps.now());
    const { name: _, ...stored } = version;
    return {
      setAliases: [{ alias, version: number }],
      ...(promotion ? { promotion, versions: [{ version: { ...stored, tags: { ...stored.tags, ...promotion.versionTags } }, isNew: false }] } : {}),
      events: [
        {
          type: 'MODEL_VERSION_ALIAS_SET',
          version: number,
          data: { name: current.name, alias, version: String(number), ...eventModelTags(current) },
        },
      ],
      result: undefined,
    };
  });
};

/** No error when the alias is absent, as in MLflow. */
export const deleteAlias = async (deps: Pick<RegistryPorts, 'registry'>, name: string, alias: string) => {
  const model = await requireModel(deps, name);
  if (model.aliases[alias] === undefined) return;
  await deps.registry.change(model.modelId, (current) => {
    if (!current) throw registeredModelNotFound(name);
    return {
      removeAliases: [alias],
      events: [{ type: 'MODEL_VERSION_ALIAS_DELETED', data: { name: current.name, alias, ...eventModelTags(current) } }],
      result: undefined,
    };
  });
};

/**
 * GetModelVersionByAlias. An unknown alias is INVALID_PARAMETER_VALUE (400), as in MLflow; `latest` (any
 * case) is the highest version that is not deleted.
 */
export const getVersionByAlias = async (
  deps: Pick<RegistryPorts, 'registry'>,
  name: string, alias: string): Promise<{ version: ModelVersion; aliases: string[] }> => {
  const model = await requireModel(deps, name);
  if (alias.toLowerCase() === 'latest') {
    const versions = (await deps.registry.listVersions(model)).filter((v) => !v.deleted);
    const latest = versions[versions.length - 1];
    if (!latest) throw invalidParameter(`Registered model alias ${alias} not found.`);
    return { version: latest, aliases: aliasesOf(model, latest.version) };
  }
  const number = model.aliases[alias];
  if (number === undefined) throw invalidParameter(`Registered model alias ${alias} not found.`);
  const { version } = await requireVersion(deps, name, number);
  return { version, aliases: aliasesOf(model, number) };
};
