import { z } from 'zod';
import { Bool, Int64, KeyValue, PageToken, repeated, RequiredString } from './common.js';

/** Request schemas of the model registry RPCs (mlflow/protos/model_registry.proto; required fields per handlers.py). */

const Version = z.union([z.string(), z.number()]).transform(String).pipe(RequiredString);
const Tags = repeated(KeyValue).optional();

export const CreateRegisteredModelRequest = z.object({ name: RequiredString, tags: Tags, description: z.string().optional() });
export const NameRequest = z.object({ name: RequiredString });
export const RenameRegisteredModelRequest = z.object({ name: RequiredString, new_name: RequiredString });
export const UpdateRegisteredModelRequest = z.object({ name: RequiredString, description: z.string().optional() });
export const SearchRequest = z.object({
  filter: z.string().optional(),
  max_results: Int64.optional(),
  order_by: repeated(z.string()).optional(),
  page_token: PageToken,
});
export const GetLatestVersionsRequest = z.object({ name: RequiredString, stages: repeated(z.string()).optional() });
export const SetRegisteredModelTagRequest = z.object({ name: RequiredString, key: RequiredString, value: z.string().optional() });
export const DeleteRegisteredModelTagRequest = z.object({ name: RequiredString, key: RequiredString });
export const SetAliasRequest = z.object({ name: RequiredString, alias: RequiredString, version: Version });
export const AliasRequest = z.object({ name: RequiredString, alias: RequiredString });

export const CreateModelVersionRequest = z.object({
  name: RequiredString,
  source: RequiredString,
  run_id: z.string().optional(),
  tags: Tags,
  run_link: z.string().optional(),
  description: z.string().optional(),
  model_id: z.string().optional(),
});
export const VersionRequest = z.object({ name: RequiredString, version: Version });
export const UpdateModelVersionRequest = z.object({ name: RequiredString, version: Version, description: z.string().optional() });
export const TransitionStageRequest = z.object({
  name: RequiredString,
  version: Version,
  stage: RequiredString,
  archive_existing_versions: Bool.optional(),
});
export const SetModelVersionTagRequest = z.object({
  name: RequiredString,
  version: Version,
  key: RequiredString,
  value: z.string().optional(),
});
export const DeleteModelVersionTagRequest = z.object({ name: RequiredString, version: Version, key: RequiredString });
export const GetModelVersionArtifactRequest = z.object({ name: RequiredString, version: Version, path: RequiredString });
