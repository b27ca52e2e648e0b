import type { Run } from '../../api/types';
import { tagValue } from '../../api/types';
import type { ResolvedColumn } from './column-model';

export const formatTime = (ms: number | undefined): string => {
  if (!ms) return '';
  const d = new Date(ms);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
};

export const formatDuration = (ms: number | undefined): string => {
  if (ms === undefined || ms < 0) return '';
  if (ms < 1000) return `${ms} ms`;
  const s = ms / 1000;
  if (s < 60) return `${s.toFixed(1)} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ${Math.round(s % 60)} s`;
  const h = Math.floor(m / 60);
  if (h < 48) return `${h} h ${m % 60} min`;
  return `${Math.floor(h / 24)} d ${h % 24} h`;
};

export const runDuration = (run: Run, now = Date.now()): number | undefined => {
  const start = run.info.start_time;
  if (!start) return undefined;
  const end = run.info.end_time || (run.info.status === 'RUNNING' ? now : undefined);
  return end ? end - start : undefined;
};

export const formatNumber = (value: number | undefined): string => {
  if (value === undefined || Number.isNaN(value)) return value === undefined ? '' : 'NaN';
  if (!Number.isFinite(value)) return value > 0 ? '∞' : '-∞';
  if (Number.isInteger(value) && Math.abs(value) < 1e12) return String(value);
  const abs = Math.abs(value);
  if (abs !== 0 && (abs < 1e-4 || abs >= 1e9)) return value.toExponential(4);
  return String(Number(value.toPrecision(6)));
};

export const runName = (run: Run): string => run.info.run_name || tagValue(run.data.tags, 'mlflow.runName') || run.info.run_id;

const sourceName = (run: Run): string => {
  const source = tagValue(run.data.tags, 'mlflow.source.name') ?? '';
  return source.split(/[\\/]/).pop() ?? source;
};

export const metricValue = (run: Run, key: string, agg: 'last' | 'min' | 'max'): number | undefined => {
  const metric = run.data.metrics?.find((m) => m.key === key);
  if (!metric) return undefined;
  return agg === 'last' ? metric.value : metric[agg];
};

/** A cell as text: what the table shows for plain cells and what the CSV export writes. */
export const cellText = (run: Run, column: Pick<ResolvedColumn, 'id' | 'kind' | 'key' | 'agg'>): string => {
  switch (column.kind) {
    case 'metric':
      return formatNumber(metricValue(run, column.key, column.agg));
    case 'param':
      return run.data.params?.find((p) => p.key === column.key)?.value ?? '';
    case 'tag':
      return tagValue(run.data.tags, column.key) ?? '';
    case 'attribute':
      break;
  }
  switch (column.id) {
    case 'attributes.run_name':
      return runName(run);
    case 'attributes.start_time':
      return formatTime(run.info.start_time);
    case 'attributes.status':
      return run.info.status;
    case 'attributes.duration':
      return formatDuration(runDuration(run));
    case 'attributes.user_id':
      return run.info.user_id || tagValue(run.data.tags, 'mlflow.user') || '';
    case 'tags.mlflow.source.name':
      return sourceName(run);
    case 'tags.mlflow.source.git.commit':
      return (tagValue(run.data.tags, 'mlflow.source.git.commit') ?? '').slice(0, 7);
    case 'attributes.dataset':
      return (run.inputs?.dataset_inputs ?? []).map((d) => `${d.dataset.name} (${d.dataset.digest})`).join(', ');
    case 'attributes.models':
      return (run.outputs?.model_outputs ?? []).map((m) => m.model_id).join(', ');
    default:
      return '';
  }
};

/**
 * A cell's tooltip: the value in full, since the cell may cut it to one line. For a metric that is the
 * unrounded number, not the six significant digits the cell shows.
 */
export const cellTitle = (run: Run, column: Pick<ResolvedColumn, 'id' | 'kind' | 'key' | 'agg'>): string => {
  if (column.kind !== 'metric') return cellText(run, column);
  const value = metricValue(run, column.key, column.agg);
  return value === undefined || !Number.isFinite(value) ? formatNumber(value) : String(value);
};

const csvField = (text: string) => (/[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text);

/** The loaded runs as CSV, one row per run, the visible columns in display order plus the run id. */
export const runsToCsv = (runs: readonly Run[], columns: readonly ResolvedColumn[]): string => {
  const header = ['run_id', ...columns.map((c) => (c.kind === 'metric' && c.agg !== 'last' ? `${c.id}.${c.agg}` : c.id))];
  const lines = [header.map(csvField).join(',')];
  for (const run of runs) {
    const cells = columns.map((column) =>
      column.id === 'attributes.start_time' ? String(run.info.start_time ?? '') : cellText(run, column),
    );
    lines.push([run.info.run_id, ...cells].map(csvField).join(','));
  }
  return `${lines.join('\n')}\n`;
};

export const downloadText = (fileName: string, text: string, type = 'text/csv') => {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
};
