import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { Grant, type IGrantable } from 'aws-cdk-lib/aws-iam';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import type { IConstruct } from 'constructs';
import { tokenKey } from '../../shared/data/tokens/keys.js';
import { userKey } from '../../shared/data/users/keys.js';
import { acknowledgeWildcardResource } from '../nag.js';

/**
 * What the API does with artifacts, and nothing outside `<prefix>/`: read objects (and sign GETs), write them
 * (and sign PUT/UploadPart, create/complete/abort multipart uploads), delete them, and list under the prefix.
 *
 * Writes and deletes use the L2 grants. Reads do not: `bucket.grantRead(fn, pattern)` also gives `s3:List*` and
 * `s3:GetBucket*` on the whole bucket with no prefix condition, so reading is granted as `s3:GetObject` on the
 * prefix and listing as `s3:ListBucket` with an `s3:prefix` condition.
 */
export const grantArtifactAccess = (bucket: IBucket, grantee: IGrantable, prefix: string): Grant => {
  const objects = `${prefix}/*`;
  const put = bucket.grantPut(grantee, objects); // s3:PutObject (+ legal hold, retention, tagging), s3:Abort* (AbortMultipartUpload)
  const remove = bucket.grantDelete(grantee, objects); // s3:DeleteObject*
  return put.combine(remove).combine(grantArtifactRead(bucket, grantee, prefix));
};

/**
 * Reading under `<prefix>/` only: `s3:GetObject` on the prefix, `s3:ListBucket` with an `s3:prefix` condition, and
 * decryption with the bucket's key if it has one (see grantArtifactAccess for why not `bucket.grantRead`).
 */
export const grantArtifactRead = (bucket: IBucket, grantee: IGrantable, prefix: string): Grant => {
  const objects = `${prefix}/*`;
  const read = Grant.addToPrincipal({ grantee, actions: ['s3:GetObject'], resourceArns: [bucket.arnForObjects(objects)] });
  const list = Grant.addToPrincipal({
    grantee,
    actions: ['s3:ListBucket'],
    resourceArns: [bucket.bucketArn],
    conditions: { StringLike: { 's3:prefix': [objects] } },
  });
  const decrypt = bucket.encryptionKey?.grantDecrypt(grantee);
  return decrypt ? read.combine(list).combine(decrypt) : read.combine(list);
};

/**
 * The authorizer verifies a token with one strongly consistent GetItem, then records `lastUsedAt` on it at most
 * once a minute (shared/domain/auth/tokens.ts). That write is the only one it makes, so UpdateItem is granted on token
 * items alone: `dynamodb:LeadingKeys` restricts it to partition keys `TOKEN#...` (shared/data/tokens/keys.ts).
 */
export const grantTokenTouch = (table: ITable, grantee: IGrantable): Grant => {
  const update = Grant.addToPrincipal({
    grantee,
    actions: ['dynamodb:UpdateItem'],
    resourceArns: [table.tableArn],
    conditions: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': [tokenKey('*').pk] } },
  });
  // As table.grantWriteData does for a customer-managed key.
  const encrypt = table.encryptionKey?.grant(grantee, 'kms:Encrypt', 'kms:ReEncrypt*', 'kms:GenerateDataKey*');
  return encrypt ? update.combine(encrypt) : update;
};

/**
 * What the authorizer reads: a user (`USER#<name>`) and a token (`TOKEN#<id>`), each with one strongly consistent
 * GetItem (functions/authorizer/from-env.ts). Nothing else of the table (no Query, no Scan, no index, no other
 * partition) is reachable: `dynamodb:LeadingKeys` limits GetItem to those two partition-key prefixes.
 */
export const grantAuthorizerReads = (table: ITable, grantee: IGrantable): Grant => {
  const read = Grant.addToPrincipal({
    grantee,
    actions: ['dynamodb:GetItem'],
    resourceArns: [table.tableArn],
    conditions: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': [userKey('*').pk, tokenKey('*').pk] } },
  });
  const decrypt = table.encryptionKey?.grantDecrypt(grantee);
  return decrypt ? read.combine(decrypt) : read;
};

/** `<table ARN>/index/*`, which CDK's table grants add for tables with GSIs. */
export const acknowledgeIndexes = (role: IConstruct, table: ITable): void =>
  acknowledgeWildcardResource(
    role,
    table.tableArn,
    '/index/*',
    "CDK's table grants cover the table's GSIs (gsi1, gsi2 from shared/data/table-definition.ts) as <table>/index/*; no other table is reachable.",
  );
