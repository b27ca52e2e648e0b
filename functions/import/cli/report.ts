import type { ImportSummary } from '../../../shared/domain/import/ports.js';
import type { ImportDifference, VerifyReport } from '../../../shared/domain/import/verify.js';
import { formatBytes, formatCount, formatDuration } from './progress-model.js';

/** The closing texts: the import's summary and the verification's verdict, as lines. */

export const pointsPerMinute = (points: number, durationMs: number) => (durationMs > 0 ? (points * 60_000) / durationMs : 0);

export const importSummaryLines = (summary: ImportSummary, durationMs: number, notes: { checkpoint: string; sourceWarnings: readonly string[] }): string[] => {
  const { counts } = summary;
  const table: [string, string][] = [
    ['experiments', `${formatCount(counts.experiments)} of ${formatCount(counts.experimentsTotal)}`],
    ['runs', formatCount(counts.runs)],
    ['metric points', `${formatCount(counts.metricPoints)} (${formatCount(pointsPerMinute(counts.metricPoints, durationMs))} per minute)`],
    ['artifacts', `${formatCount(counts.artifactFiles)} files, ${formatBytes(counts.artifactBytes)}`],
    ['logged models', formatCount(counts.loggedModels)],
    ['registered models', `${formatCount(counts.registeredModels)} with ${formatCount(counts.modelVersions)} versions`],
    ['finished earlier', `${formatCount(counts.skipped)} items, not read again (checkpoint ${notes.checkpoint})`],
  ];
  const width = Math.max(...table.map(([label]) => label.length));
  const warnings = [...summary.warnings.map((warning) => `${warning.item}: ${warning.message}`), ...notes.sourceWarnings];
  return [
    `Imported in ${formatDuration(durationMs)}:`,
    ...table.map(([label, value]) => `  ${label.padEnd(width)}  ${value}`),
    ...(summary.conflicts.length === 0
      ? []
      : [
          `Conflicts (${summary.conflicts.length}): skipped, left as Cairn has them; resolve them and re-run to bring them over:`,
          ...summary.conflicts.map((conflict) => `  ${conflict.kind} ${conflict.id}: ${conflict.reason}`),
        ]),
    ...(warnings.length === 0 ? [] : [`Warnings (${warnings.length}):`, ...warnings.map((warning) => `  ${warning}`)]),
  ];
};

/** `run <id>: param 'lr': source '0.01', Cairn '0.02'`. */
export const differenceLine = (difference: ImportDifference): string =>
  `${difference.item}: ${difference.aspect}: source ${difference.source ?? 'has none'}, Cairn ${difference.cairn ?? 'has none'}`;

export const verifySummaryLines = (report: VerifyReport, durationMs: number): string[] => {
  const { counts } = report;
  const compared =
    `${formatCount(counts.experiments)} experiments, ${formatCount(counts.runs)} runs, ${formatCount(counts.metricPoints)} metric points, ` +
    `${formatCount(counts.artifactFiles)} files (${formatBytes(counts.artifactBytes)}), ${formatCount(counts.loggedModels)} logged models, ` +
    `${formatCount(counts.registeredModels)} registered models with ${formatCount(counts.modelVersions)} versions`;
  return report.differences.length === 0
    ? [`Source and Cairn match: compared ${compared} in ${formatDuration(durationMs)}.`]
    : [`${formatCount(report.differences.length)} differences between source and Cairn (compared ${compared} in ${formatDuration(durationMs)}).`];
};
