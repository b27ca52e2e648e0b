import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { MetricPoint } from '../../domain/tracking/entities.js';
import { entityHeader, parseItem, stamp } from '../codec.js';
import type { Item } from '../dynamo-ops.js';
import { metricChunkKey } from './keys.js';

const ENTITY = 'metric-chunk';
/** Bytes per point: timestamp, step and value as little-endian doubles (timestamps and steps are exact below 2^53). */
const POINT_BYTES = 24;
/** Points per chunk; 16,000 points are 384 KB, under DynamoDB's 400 KB item limit with room for the header. */
export const MAX_POINTS_PER_CHUNK = 16_000;

/** What the points of one chunk share besides the run and key. */
export interface ChunkExtras {
  modelId?: string;
  datasetName?: string;
  datasetDigest?: string;
}

const ChunkItemSchema = z.object({
  ...entityHeader(ENTITY),
  key: z.string(),
  writtenAt: z.number(),
  count: z.number(),
  points: z.instanceof(Uint8Array),
  modelId: z.string().optional(),
  datasetName: z.string().optional(),
  datasetDigest: z.string().optional(),
});

export const packPoints = (points: readonly MetricPoint[]): Buffer => {
  const buffer = Buffer.allocUnsafe(points.length * POINT_BYTES);
  points.forEach((point, index) => {
    const offset = index * POINT_BYTES;
    buffer.writeDoubleLE(point.timestamp, offset);
    buffer.writeDoubleLE(point.step, offset + 8);
    buffer.writeDoubleLE(point.value, offset + 16);
  });
  return buffer;
};

/** Identity of a chunk's content: same run, key, extras and points give the same hash. */
export const chunkHash = (runId: string, key: string, extras: ChunkExtras, packed: Buffer): string =>
  createHash('sha256')
    .update(JSON.stringify([runId, key, extras.modelId ?? null, extras.datasetName ?? null, extras.datasetDigest ?? null]))
    .update(packed)
    .digest('hex')
    .slice(0, 32);

export const toChunkItem = (
  runId: string,
  key: string,
  extras: ChunkExtras,
  points: readonly MetricPoint[],
  writtenAt: number,
): Item => {
  const packed = packPoints(points);
  return {
    ...metricChunkKey(runId, key, chunkHash(runId, key, extras, packed)),
    ...stamp(ENTITY),
    key,
    writtenAt,
    count: points.length,
    points: packed,
    ...extras,
  };
};

export interface DecodedChunk {
  writtenAt: number;
  points: MetricPoint[];
}

export const fromChunkItem = (item: Item): DecodedChunk => {
  const chunk = parseItem(ChunkItemSchema, item);
  const bytes = Buffer.from(chunk.points.buffer, chunk.points.byteOffset, chunk.points.byteLength);
  const points: MetricPoint[] = new Array(chunk.count);
  for (let index = 0; index < chunk.count; index++) {
    const offset = index * POINT_BYTES;
    const point: MetricPoint = {
      key: chunk.key,
      timestamp: bytes.readDoubleLE(offset),
      step: bytes.readDoubleLE(offset + 8),
      value: bytes.readDoubleLE(offset + 16),
    };
    if (chunk.modelId !== undefined) point.modelId = chunk.modelId;
    if (chunk.datasetName !== undefined) point.datasetName = chunk.datasetName;
    if (chunk.datasetDigest !== undefined) point.datasetDigest = chunk.datasetDigest;
    points[index] = point;
  }
  return { writtenAt: chunk.writtenAt, points };
};
