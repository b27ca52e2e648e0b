import { createHash, randomBytes } from 'node:crypto';
import http from 'node:http';
import { createJsonClient } from './http.js';
import { fmt, infoRow, log, stopwatch, type WorkloadResult } from './report.js';
import type { WriteContext } from './writes.js';

const MiB = 1024 * 1024;

/** One raw request on `agent`: the artifact protocol moves bytes, not JSON. */
const transfer = (agent: http.Agent, base: URL, method: 'PUT' | 'GET', path: string, body?: Buffer) =>
  new Promise<Buffer>((resolve, reject) => {
    const headers: http.OutgoingHttpHeaders = body ? { 'content-type': 'application/octet-stream', 'content-length': body.length } : {};
    const request = http.request({ agent, host: base.hostname, port: base.port, method, path, headers }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('error', reject);
      response.on('end', () => {
        if (response.statusCode !== 200) reject(new Error(`${method} ${path} answered ${response.statusCode}`));
        else resolve(Buffer.concat(chunks));
      });
    });
    request.on('error', reject);
    request.end(body);
  });

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

/**
 * (f) Proxied artifact upload and download in local mode, as `mlflow.log_artifact` and
 * `download_artifacts` move files: one PUT of the whole file, one GET, over a fresh keep-alive connection.
 */
export const artifactTransfers = async (context: WriteContext): Promise<WorkloadResult> => {
  const phase = stopwatch();
  const base = new URL(context.url);
  const client = createJsonClient(context.url, { connections: 1 });
  const { run } = await client.post<{ run: { info: { run_id: string } } }>('/runs/create', {
    experiment_id: context.experimentId,
    start_time: Date.now(),
  });
  client.close();
  const root = `/api/2.0/mlflow-artifacts/artifacts/${context.experimentId}/${run.info.run_id}/artifacts/bench`;
  const rows = [];
  const details: string[] = [];
  for (const [label, size, count] of [
    ['1 MiB', MiB, 20],
    ['100 MiB', 100 * MiB, 3],
  ] as const) {
    log(`(f) artifacts: ${count} uploads and downloads of ${label}`);
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    const file = randomBytes(size);
    const digest = sha256(file);
    let uploadMs = 0;
    let downloadMs = 0;
    for (let i = 0; i < count; i++) {
      const path = `${root}/${size}-${i}.bin`;
      const up = stopwatch();
      await transfer(agent, base, 'PUT', path, file);
      uploadMs += up();
      const down = stopwatch();
      const bytes = await transfer(agent, base, 'GET', path);
      downloadMs += down();
      if (bytes.length !== size || sha256(bytes) !== digest) throw new Error(`(f) ${path} came back different`);
    }
    agent.destroy();
    const megabytes = (size * count) / MiB;
    rows.push(infoRow(`(f) artifact upload, ${label} files`, 'MiB/s', fmt(megabytes / (uploadMs / 1000))));
    rows.push(infoRow(`(f) artifact download, ${label} files`, 'MiB/s', fmt(megabytes / (downloadMs / 1000))));
    details.push(`(f) ${label}: ${count} files up in ${fmt(uploadMs / 1000, 2)} s, down in ${fmt(downloadMs / 1000, 2)} s, SHA-256 verified`);
  }
  return { name: '(f) artifacts', rows, details, phaseMs: phase() };
};
