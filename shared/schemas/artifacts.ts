import { z } from 'zod';
import { Int64, repeated, RequiredString } from './common.js';

/** Request schemas of the artifact RPCs (mlflow/protos/mlflow_artifacts.proto, service.proto). */

export const ListArtifactsRequest = z.object({ path: z.string().optional() });

export const CreateMultipartUploadRequest = z.object({ path: RequiredString, num_parts: Int64 });
export const CompleteMultipartUploadRequest = z.object({
  path: RequiredString,
  upload_id: RequiredString,
  parts: repeated(z.object({ part_number: Int64, etag: RequiredString, url: z.string().optional() })),
});
export const AbortMultipartUploadRequest = z.object({ path: RequiredString, upload_id: RequiredString });

export const PresignedUrlRequest = z.object({
  run_id: z.string().optional(),
  model_id: z.string().optional(),
  path: RequiredString,
  expiration: Int64.optional(),
});

export const ListRunArtifactsRequest = z.object({
  run_id: z.string().optional(),
  run_uuid: z.string().optional(),
  path: z.string().optional(),
  page_token: z.string().optional(),
});
export const GetRunArtifactRequest = z.object({
  run_id: z.string().optional(),
  run_uuid: z.string().optional(),
  path: RequiredString,
});
