import { Hono } from 'hono';
import type { TrackingDeps } from '../../../shared/domain/dependencies.js';
import * as aliasRules from '../../../shared/domain/registry/aliases.js';
import * as versions from '../../../shared/domain/registry/model-versions.js';
import * as models from '../../../shared/domain/registry/registered-models.js';
import * as queries from '../../../shared/domain/registry/version-queries.js';
import { modelVersionToJson, registeredModelToJson } from '../../../shared/http/serializers.js';
import * as S from '../../../shared/schemas/registry.js';
import { accessOf } from '../auth-context.js';
import { keyValues, rpc } from '../rpc.js';
import { modelsVisibleTo } from '../visibility.js';

const done = {};

/** The registered model with its latest version per stage, as most registry RPCs answer it. */
const modelJson = async (deps: TrackingDeps, name: string) => {
  const model = await models.requireModel(deps, name);
  return registeredModelToJson(model, models.latestVersionsByStage(await deps.registry.listVersions(model)));
};

/** MLflow's model registry RPCs under `/registered-models` and `/model-versions`. */
export interface RegistryRouteOptions {
  /** After a model is deleted for good: its grants go with it (a later model of the same name has its own id). */
  readonly afterModelDeleted?: (modelId: string) => Promise<void>;
}

export const registryRoutes = (deps: TrackingDeps, options: RegistryRouteOptions = {}) => {
  const latest = rpc(S.GetLatestVersionsRequest, async (input) => {
    const found = await queries.getLatestVersions(deps, input.name, input.stages);
    return { model_versions: found.length > 0 ? found.map((v) => modelVersionToJson(v)) : undefined };
  });
  return new Hono()
    .post(
      '/registered-models/create',
      rpc(S.CreateRegisteredModelRequest, async (input, c) => {
        const model = await models.createRegisteredModel(deps, {
          name: input.name,
          description: input.description,
          tags: keyValues(input.tags),
          // The creator manages what they created and is recorded as its creator (authorization on; no user otherwise).
          creatorUserId: accessOf(c).userId,
          creatorUsername: accessOf(c).username,
        });
        return { registered_model: registeredModelToJson(model, []) };
      }),
    )
    .get('/registered-models/get', rpc(S.NameRequest, async (input) => ({ registered_model: await modelJson(deps, input.name) })))
    .post(
      '/registered-models/rename',
      rpc(S.RenameRegisteredModelRequest, async (input) => {
        await models.renameRegisteredModel(deps, input.name, input.new_name);
        return { registered_model: await modelJson(deps, input.new_name) };
      }),
    )
    .patch(
      '/registered-models/update',
      rpc(S.UpdateRegisteredModelRequest, async (input) => {
        await models.updateRegisteredModel(deps, input.name, input.description);
        return { registered_model: await modelJson(deps, input.name) };
      }),
    )
    .delete(
      '/registered-models/delete',
      rpc(S.NameRequest, async (input) => {
        const modelId = await models.deleteRegisteredModel(deps, input.name);
        await options.afterModelDeleted?.(modelId);
        return done;
      }),
    )
    .get(
      '/registered-models/search',
      rpc(S.SearchRequest, async (input, c) => {
        const { page, nextPageToken } = await models.searchRegisteredModels(
          deps,
          { filter: input.filter, orderBy: input.order_by, maxResults: input.max_results, pageToken: input.page_token },
          modelsVisibleTo(accessOf(c)),
        );
        return {
          registered_models: page.length > 0 ? page.map((p) => registeredModelToJson(p.model, p.latest)) : undefined,
          next_page_token: nextPageToken,
        };
      }),
    )
    .post('/registered-models/get-latest-versions', latest)
    .get('/registered-models/get-latest-versions', latest)
    .post(
      '/registered-models/set-tag',
      rpc(S.SetRegisteredModelTagRequest, async (input) => (await models.setRegisteredModelTag(deps, input.name, input.key, input.value ?? ''), done)),
    )
    .delete(
      '/registered-models/delete-tag',
      rpc(S.DeleteRegisteredModelTagRequest, async (input) => (await models.deleteRegisteredModelTag(deps, input.name, input.key), done)),
    )
    .post(
      '/registered-models/alias',
      rpc(S.SetAliasRequest, async (input) => (await aliasRules.setAlias(deps, input.name, input.alias, input.version), done)),
    )
    .delete('/registered-models/alias', rpc(S.AliasRequest, async (input) => (await aliasRules.deleteAlias(deps, input.name, input.alias), done)))
    .get(
      '/registered-models/alias',
      rpc(S.AliasRequest, async (input) => {
        const { version, aliases } = await aliasRules.getVersionByAlias(deps, input.name, input.alias);
        return { model_version: modelVersionToJson(version, aliases) };
      }),
    )
    .post(
      '/model-versions/create',
      rpc(S.CreateModelVersionRequest, async (input, c) => {
        const version = await versions.createModelVersion(deps, {
          name: input.name,
          source: input.source,
          runId: input.run_id || undefined,
          runLink: input.run_link || undefined,
          description: input.description || undefined,
          tags: keyValues(input.tags),
          modelId: input.model_id || undefined,
          // Who created it, as authenticated (MLflow answers no user here, so it is stored, not shown).
          creatorUsername: accessOf(c).username,
        });
        return { model_version: modelVersionToJson(version) };
      }),
    )
    .get(
      '/model-versions/get',
      rpc(S.VersionRequest, async (input) => {
        const { model, version } = await versions.requireVersion(deps, input.name, input.version);
        return { model_version: modelVersionToJson(version, versions.aliasesOf(model, version.version)) };
      }),
    )
    .patch(
      '/model-versions/update',
      rpc(S.UpdateModelVersionRequest, async (input) => ({
        model_version: modelVersionToJson(await versions.updateModelVersion(deps, input.name, input.version, input.description)),
      })),
    )
    .delete('/model-versions/delete', rpc(S.VersionRequest, async (input) => (await versions.deleteModelVersion(deps, input.name, input.version), done)))
    .post(
      '/model-versions/transition-stage',
      rpc(S.TransitionStageRequest, async (input) => {
        const moved = await versions.transitionModelVersionStage(deps, input.name, input.version, input.stage, input.archive_existing_versions ?? false);
        return { model_version: modelVersionToJson(moved.version, moved.aliases) };
      }),
    )
    .get(
      '/model-versions/search',
      rpc(S.SearchRequest, async (input, c) => {
        const { page, nextPageToken } = await queries.searchModelVersions(
          deps,
          { filter: input.filter, orderBy: input.order_by, maxResults: input.max_results, pageToken: input.page_token },
          modelsVisibleTo(accessOf(c)),
        );
        return { model_versions: page.length > 0 ? page.map((v) => modelVersionToJson(v)) : undefined, next_page_token: nextPageToken };
      }),
    )
    .get(
      '/model-versions/get-download-uri',
      rpc(S.VersionRequest, async (input) => ({ artifact_uri: await versions.getModelVersionDownloadUri(deps, input.name, input.version) })),
    )
    .post(
      '/model-versions/set-tag',
      rpc(S.SetModelVersionTagRequest, async (input) => (await versions.setModelVersionTag(deps, input.name, input.version, input.key, input.value ?? ''), done)),
    )
    .delete(
      '/model-versions/delete-tag',
      rpc(S.DeleteModelVersionTagRequest, async (input) => (await versions.deleteModelVersionTag(deps, input.name, input.version, input.key), done)),
    );
};
