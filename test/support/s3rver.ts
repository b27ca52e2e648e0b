/**
 * s3rver (the local S3 engine that honours presign expiry, response header overrides and CORS) on loopback,
 * in a temporary folder, with Cairn's S3 clients for it. It only knows the access key S3RVER.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createS3Clients, type S3Clients } from '../../shared/storage/s3-artifact-store.js';
import { assertLoopbackEndpoint } from './loopback.js';

/** The part of s3rver's (untyped, CommonJS) API the tests use. */
interface S3rverInstance {
  run(): Promise<AddressInfo>;
  close(): Promise<void>;
}
type S3rverConstructor = new (options: {
  address: string;
  port: number;
  silent: boolean;
  directory: string;
  configureBuckets: { name: string; configs: string[] }[];
}) => S3rverInstance;
const S3rver = createRequire(import.meta.url)('s3rver') as S3rverConstructor;

export interface RunningS3rver {
  clients: S3Clients;
  close(): Promise<void>;
}

export const startS3rver = async (bucket: string): Promise<RunningS3rver> => {
  const directory = await mkdtemp(join(tmpdir(), 'cairn-s3rver-'));
  const server = new S3rver({ address: '127.0.0.1', port: 0, silent: true, directory, configureBuckets: [{ name: bucket, configs: [] }] });
  const { port } = await server.run();
  const endpoint = assertLoopbackEndpoint(`http://127.0.0.1:${port}`, 's3rver endpoint');
  const clients = createS3Clients({ endpoint, credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } });
  return {
    clients,
    async close() {
      clients.client.destroy();
      clients.presignClient.destroy();
      await server.close();
      await rm(directory, { recursive: true, force: true });
    },
  };
};
