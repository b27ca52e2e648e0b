import type { CORSRule } from '@aws-sdk/client-s3';

/**
 * CORS of the artifact bucket, for browser clients (the MLflow UI, notebooks in a browser) that move bytes
 * with presigned URLs: GET and HEAD to download, PUT to upload whole files and parts. `ETag` is exposed
 * because a multipart upload's completion needs every part's ETag, and `Content-Range` because previews read
 * the head of a file with a `Range` GET (a browser sends it again after the API's redirect). Infra applies
 * these rules to the bucket.
 */
export const artifactBucketCorsRules = (allowedOrigins: string[]): CORSRule[] => [
  {
    AllowedMethods: ['GET', 'HEAD', 'PUT'],
    AllowedOrigins: allowedOrigins,
    AllowedHeaders: ['*'],
    ExposeHeaders: ['ETag', 'Content-Length', 'Content-Disposition', 'Content-Range', 'Accept-Ranges'],
    MaxAgeSeconds: 3000,
  },
];
