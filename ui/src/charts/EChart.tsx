import { useEffect, useRef, useState } from 'react';
import type { EChartsCoreOption, EChartsType } from 'echarts/core';

type ECharts = typeof import('echarts/core');
let loading: Promise<ECharts> | undefined;

/**
 * ECharts, loaded on first use with a dynamic import (only the bar, scatter and parallel series and the
 * canvas renderer, tree-shaken in echarts-setup.ts), so it is not part of the initial bundle.
 */
export const loadECharts = (): Promise<ECharts> => (loading ??= import('./echarts-setup').then((module) => module.echarts));

export const EChart = ({ option, height = 320, label }: { option: EChartsCoreOption; height?: number; label: string }) => {
  const box = useRef<HTMLDivElement>(null);
  const chart = useRef<EChartsType | null>(null);
  const [error, setError] = useState<string>();
  useEffect(() => {
    let live = true;
    let observer: ResizeObserver | undefined;
    loadECharts().then(
      (echarts) => {
        if (!live || !box.current) return;
        chart.current = echarts.init(box.current, undefined, { renderer: 'canvas' });
        chart.current.setOption(option, true);
        if (typeof ResizeObserver !== 'undefined') {
          observer = new ResizeObserver(() => chart.current?.resize());
          observer.observe(box.current);
        }
      },
      (reason: unknown) => setError(String(reason)),
    );
    return () => {
      live = false;
      observer?.disconnect();
      chart.current?.dispose();
      chart.current = null;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);
  useEffect(() => {
    chart.current?.setOption(option, true);
  }, [option]);
  return (
    <div role="img" aria-label={label} ref={box} style={{ height, width: '100%' }}>
      {error ? <p className="cairn-chart-empty">Could not load the chart library: {error}</p> : null}
    </div>
  );
};
