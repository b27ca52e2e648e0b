import { z } from 'zod';
import { registeredModelNotFound } from '../domain/registry/validation.js';
import { LIMITS } from '../domain/tracking/validation.js';
import { runNotFound } from '../errors/index.js';
import { Bool, Int64, KeyValue, limitedText, lookupKey, PageToken, repeated, requiredKey, RequiredString } from './common.js';

/** Request schemas of the model registry RPCs (mlflow/protos/model_registry.proto; required fields per handlers.py). */

const Version = z.union([z.string(), z.number()]).transform(String).pipe(requiredKey());
const Tags = repeated(KeyValue).optional();
/** A registered model to look up: a name too long for a key names no model. Creating one checks MLflow's 256. */
const ModelRef = requiredKey(registeredModelNotFound);
const Description = limitedText('Description', LIMITS.registryDescriptionLength).optional();

export const CreateRegisteredModelRequest = z.object({ name: RequiredString, tags: Tags, description: Description });
export const NameRequest = z.object({ name: ModelRef });
export const RenameRegisteredModelRequest = z.object({ name: ModelRef, new_name: RequiredString });
export const UpdateRegisteredModelRequest = z.object({ name: ModelRef, description: Description });
export const SearchRequest = z.object({
  filter: z.string().optional(),
  max_results: Int64.optional(),
  order_by: repeated(z.string()).optional(),
  page_token: PageToken,
});
export const GetLatestVersionsRequest = z.object({ name: ModelRef, stages: repeated(z.string()).optional() });
export const SetRegisteredModelTagRequest = z.object({ name: ModelRef, key: RequiredString, value: z.string().optional() });
export const DeleteRegisteredModelTagRequest = z.object({ name: ModelRef, key: RequiredString });
export const SetAliasRequest = z.object({ name: ModelRef, alias: RequiredString, version: Version });
export const AliasRequest = z.object({ name: ModelRef, alias: RequiredString });

export const CreateModelVersionRequest = z.object({
  name: ModelRef,
  source: limitedText('Model version source', LIMITS.modelVersionUriLength).pipe(RequiredString),
  run_id: lookupKey(runNotFound).optional(),
  tags: Tags,
  run_link: limitedText('Model version run link', LIMITS.modelVersionUriLength).optional(),
  description: Description,
  model_id: lookupKey().optional(),
});
export const VersionRequest = z.object({ name: ModelRef, version: Version });
export const UpdateModelVersionRequest = z.object({ name: ModelRef, version: Version, description: Description });
export const TransitionStageRequest = z.object({
  name: ModelRef,
  version: Version,
  stage: RequiredString,
  archive_existing_versions: Bool.optional(),
});
export const SetModelVersionTagRequest = z.object({
  name: ModelRef,
  version: Version,
  key: RequiredString,
  value: z.string().optional(),
});
export const DeleteModelVersionTagRequest = z.object({ name: ModelRef, version: Version, key: RequiredString });
export const GetModelVersionArtifactRequest = z.object({ name: ModelRef, version: Version, path: RequiredString });
