import { Hono } from 'hono';
import { MlflowError } from '../../../shared/errors/index.js';
import { ImportTargetRequest } from '../../../shared/schemas/cairn-import.js';
import { rpc } from '../rpc.js';

/**
 * Where this server keeps its metadata and files, for `npm run import --to <Cairn URL>` (issue 15). The importer
 * writes through the same repositories and artifact store as the API, with the operator's own access to them
 * (the local engine's endpoint; in AWS the operator's credentials on the table and bucket): discovery, not a
 * second write path. Admins only (the decision table), since it names the storage behind the API.
 */
export type StorageDescription =
  | {
      readonly kind: 'local';
      readonly table: string;
      readonly engineEndpoint: string;
      /** The local artifact store's root folder (`<data dir>/artifacts`). */
      readonly artifactDir: string;
      readonly defaultArtifactRoot: string;
    }
  | {
      readonly kind: 'aws';
      readonly region: string;
      readonly table: string;
      /** Absent when the API serves no artifacts. */
      readonly bucket?: string;
      readonly prefix: string;
      readonly defaultArtifactRoot: string;
      /** Set only where the API talks to an emulator instead of AWS. */
      readonly dynamodbEndpoint?: string;
      readonly s3Endpoint?: string;
    };

export const cairnImportRoutes = (storage: StorageDescription | undefined) =>
  new Hono().get(
    '/import/target',
    rpc(ImportTargetRequest, async () => {
      if (!storage) {
        throw new MlflowError('RESOURCE_DOES_NOT_EXIST', 'This server was started without a description of its storage; import into its data folder or table directly.');
      }
      return storageToJson(storage);
    }),
  );

const storageToJson = (storage: StorageDescription) =>
  storage.kind === 'local'
    ? {
        kind: 'local',
        table: storage.table,
        engine_endpoint: storage.engineEndpoint,
        artifact_dir: storage.artifactDir,
        default_artifact_root: storage.defaultArtifactRoot,
      }
    : {
        kind: 'aws',
        region: storage.region,
        table: storage.table,
        ...(storage.bucket === undefined ? {} : { bucket: storage.bucket }),
        prefix: storage.prefix,
        default_artifact_root: storage.defaultArtifactRoot,
        ...(storage.dynamodbEndpoint === undefined ? {} : { dynamodb_endpoint: storage.dynamodbEndpoint }),
        ...(storage.s3Endpoint === undefined ? {} : { s3_endpoint: storage.s3Endpoint }),
      };
