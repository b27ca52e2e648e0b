import { z } from 'zod';
import { loggedModelNotFound, runNotFound } from '../errors/index.js';
import { Int64, lookupKey, repeated, RequiredString } from './common.js';

const RunRef = lookupKey(runNotFound);

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
  run_id: RunRef.optional(),
  model_id: lookupKey(loggedModelNotFound).optional(),
  path: RequiredString,
  expiration: Int64.optional(),
});

export const ListRunArtifactsRequest = z.object({
  run_id: RunRef.optional(),
  run_uuid: RunRef.optional(),
  path: z.string().optional(),
  page_token: z.string().optional(),
});
export const GetRunArtifactRequest = z.object({
  run_id: RunRef.optional(),
  run_uuid: RunRef.optional(),
  path: RequiredString,
});
