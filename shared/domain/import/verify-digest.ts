import { createHash } from 'node:crypto';

/**
 * What `--verify` compares of a metric history: how many distinct points it has and a checksum over them in a
 * fixed order, so two histories match exactly when they hold the same points, however each side stores or
 * pages them. A point is (timestamp, step, value), MLflow's identity of a point within a key; repeats count
 * once (the importer writes each point once, and a replayed write may store a chunk twice, which reads merge).
 * NaN is one value (every NaN payload alike) and -0 is 0, as MLflow's stores do not tell them apart either.
 */
export interface MetricDigest {
  readonly count: number;
  /** Hex of SHA-256 over the sorted distinct points as little-endian doubles (timestamp, step, value). */
  readonly checksum: string;
}

export interface MetricDigestBuilder {
  add(timestamp: number, step: number, value: number): void;
  /** Interleaved (timestamp, step, value) triples, as the data layer keeps them packed. */
  addTriples(triples: Float64Array, count: number): void;
  finish(): MetricDigest;
}

const normalize = (value: number) => (Number.isNaN(value) ? Number.NaN : value === 0 ? 0 : value);

/** Numbers in ascending order, NaN after every other value (it only has to be one fixed place). */
const compareNumbers = (a: number, b: number): number => {
  if (a === b) return 0;
  if (Number.isNaN(a)) return Number.isNaN(b) ? 0 : 1;
  if (Number.isNaN(b)) return -1;
  return a < b ? -1 : 1;
};

export const createMetricDigestBuilder = (): MetricDigestBuilder => {
  let triples = new Float64Array(3 * 1024);
  let length = 0;
  const reserve = (more: number) => {
    if (length + more <= triples.length) return;
    let size = triples.length * 2;
    while (size < length + more) size *= 2;
    const grown = new Float64Array(size);
    grown.set(triples.subarray(0, length));
    triples = grown;
  };
  return {
    add(timestamp, step, value) {
      reserve(3);
      triples[length++] = normalize(timestamp);
      triples[length++] = normalize(step);
      triples[length++] = normalize(value);
    },
    addTriples(packed, count) {
      reserve(count * 3);
      for (let index = 0; index < count * 3; index++) triples[length++] = normalize(packed[index] ?? Number.NaN);
    },
    finish() {
      return digestOf(triples, length / 3);
    },
  };
};

const digestOf = (triples: Float64Array, points: number): MetricDigest => {
  const order = new Uint32Array(points);
  for (let index = 0; index < points; index++) order[index] = index;
  const at = (point: number, field: number) => triples[point * 3 + field] as number;
  const compare = (a: number, b: number) => compareNumbers(at(a, 0), at(b, 0)) || compareNumbers(at(a, 1), at(b, 1)) || compareNumbers(at(a, 2), at(b, 2));
  order.sort(compare);

  const hash = createHash('sha256');
  const page = new Float64Array(3 * 4096);
  let filled = 0;
  let count = 0;
  let previous = -1;
  for (const point of order) {
    if (previous >= 0 && compare(previous, point) === 0) continue;
    previous = point;
    count++;
    page[filled++] = at(point, 0);
    page[filled++] = at(point, 1);
    page[filled++] = at(point, 2);
    if (filled === page.length) {
      hash.update(littleEndian(page, filled));
      filled = 0;
    }
  }
  if (filled > 0) hash.update(littleEndian(page, filled));
  return { count, checksum: hash.digest('hex').slice(0, 16) };
};

const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

const littleEndian = (values: Float64Array, length: number): Uint8Array => {
  if (LITTLE_ENDIAN) return new Uint8Array(values.buffer, values.byteOffset, length * 8);
  const bytes = new Uint8Array(length * 8);
  const view = new DataView(bytes.buffer);
  for (let index = 0; index < length; index++) view.setFloat64(index * 8, values[index] as number, true);
  return bytes;
};
