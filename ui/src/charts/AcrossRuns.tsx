import { useMemo } from 'react';
import type { Run } from '../api/types';
import { runColor } from './colors';
import { EChart } from './EChart';
import type { ChartRun } from './LineChart';
import type { ChartSettings } from './settings';
import { fieldsOf, fieldValue } from './use-runs';

interface Props {
  runs: readonly ChartRun[];
  details: readonly Run[];
  settings: ChartSettings;
  onSettingsChange: (next: ChartSettings) => void;
}

const FieldSelect = ({ label, value, fields, onChange }: { label: string; value: string | undefined; fields: string[]; onChange: (v: string) => void }) => (
  <label>
    {label}{' '}
    <select value={value ?? ''} onChange={(e) => onChange(e.target.value)}>
      <option value="">—</option>
      {fields.map((f) => (
        <option key={f} value={f}>
          {f}
        </option>
      ))}
    </select>
  </label>
);

/** Bar chart of a metric across runs, scatter of any two params/metrics, parallel coordinates (ECharts, lazily loaded). */
export const AcrossRuns = ({ runs, details, settings, onSettingsChange }: Props) => {
  const fields = useMemo(() => fieldsOf(details), [details]);
  const byId = useMemo(() => new Map(details.map((run) => [run.info.run_id, run])), [details]);
  const ordered = runs.flatMap((r, i) => {
    const run = byId.get(r.runId);
    return run ? [{ chartRun: r, run, color: runColor(i, r.color) }] : [];
  });
  const set = (patch: Partial<ChartSettings>) => onSettingsChange({ ...settings, ...patch });

  const barOption = useMemo(() => {
    if (!settings.bar) return undefined;
    const rows = ordered.map(({ chartRun, run, color }) => ({ name: chartRun.name, value: fieldValue(run, settings.bar!), color }));
    return {
      tooltip: { trigger: 'item' },
      grid: { left: 60, right: 16, top: 16, bottom: 80, containLabel: true },
      xAxis: { type: 'category', data: rows.map((r) => r.name), axisLabel: { rotate: 35, width: 120, overflow: 'truncate' } },
      yAxis: { type: 'value', scale: true },
      series: [{ type: 'bar', data: rows.map((r) => ({ value: typeof r.value === 'number' ? r.value : null, itemStyle: { color: r.color } })) }],
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [settings.bar, details, runs]);

  const scatterOption = useMemo(() => {
    if (!settings.scatter) return undefined;
    const [xField, yField] = settings.scatter;
    const points = ordered.flatMap(({ chartRun, run, color }) => {
      const x = fieldValue(run, xField);
      const y = fieldValue(run, yField);
      return typeof x === 'number' && typeof y === 'number' ? [{ name: chartRun.name, value: [x, y], itemStyle: { color } }] : [];
    });
    return {
      tooltip: { trigger: 'item', formatter: (p: { name: string; value: number[] }) => `${p.name}<br/>${xField}: ${p.value[0]}<br/>${yField}: ${p.value[1]}` },
      grid: { left: 60, right: 16, top: 16, bottom: 40, containLabel: true },
      xAxis: { type: 'value', name: xField, nameLocation: 'middle', nameGap: 28, scale: true },
      yAxis: { type: 'value', name: yField, scale: true },
      series: [{ type: 'scatter', symbolSize: 10, data: points }],
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [settings.scatter, details, runs]);

  const parallelOption = useMemo(() => {
    if (settings.parallel.length < 2) return undefined;
    const columns = settings.parallel;
    const axes = columns.map((field, dim) => {
      const values = ordered.map(({ run }) => fieldValue(run, field));
      const numeric = values.every((v) => v === undefined || typeof v === 'number');
      return numeric
        ? { dim, name: field, type: 'value', scale: true }
        : { dim, name: field, type: 'category', data: [...new Set(values.map((v) => String(v ?? '')))] };
    });
    return {
      tooltip: { trigger: 'item' },
      parallelAxis: axes,
      parallel: { left: 60, right: 100, top: 40, bottom: 30 },
      series: [
        {
          type: 'parallel',
          lineStyle: { width: 1.5, opacity: 0.7 },
          data: ordered.map(({ chartRun, run, color }) => ({
            name: chartRun.name,
            value: columns.map((field) => {
              const v = fieldValue(run, field);
              return typeof v === 'number' ? v : String(v ?? '');
            }),
            lineStyle: { color },
          })),
        },
      ],
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [settings.parallel.join('\u0000'), details, runs]);

  return (
    <section className="cairn-charts-across" aria-label="Charts across runs">
      <div className="cairn-chart">
        <div className="cairn-charts-toolbar">
          <FieldSelect label="Bar chart of" value={settings.bar} fields={fields.filter((f) => f.startsWith('metrics.'))} onChange={(v) => set({ bar: v || undefined })} />
        </div>
        {barOption ? <EChart option={barOption} label={`Bar chart of ${settings.bar} across runs`} /> : null}
      </div>
      <div className="cairn-chart">
        <div className="cairn-charts-toolbar">
          <FieldSelect label="Scatter x" value={settings.scatter?.[0]} fields={fields} onChange={(v) => set({ scatter: v ? [v, settings.scatter?.[1] ?? v] : undefined })} />
          <FieldSelect label="y" value={settings.scatter?.[1]} fields={fields} onChange={(v) => set({ scatter: v ? [settings.scatter?.[0] ?? v, v] : undefined })} />
        </div>
        {scatterOption ? <EChart option={scatterOption} label={`Scatter of ${settings.scatter?.join(' against ')}`} /> : null}
      </div>
      <div className="cairn-chart">
        <div className="cairn-charts-toolbar">
          <label>
            Parallel coordinates{' '}
            <select
              multiple
              size={4}
              value={settings.parallel}
              onChange={(e) => set({ parallel: [...e.target.selectedOptions].map((o) => o.value) })}
            >
              {fields.map((f) => (
                <option key={f} value={f}>
                  {f}
                </option>
              ))}
            </select>
          </label>
        </div>
        {parallelOption ? <EChart option={parallelOption} label={`Parallel coordinates of ${settings.parallel.join(', ')}`} /> : null}
      </div>
    </section>
  );
};
