import { describe, expect, it } from 'vitest';
import { chartSettingsFromQuery, chartSettingsToQuery, DEFAULT_CHART_SETTINGS, type ChartSettings } from './settings';

describe('chart settings in the URL', () => {
  it('writes nothing for the defaults, and reads the defaults from an empty query', () => {
    expect(chartSettingsToQuery(DEFAULT_CHART_SETTINGS)).toEqual({});
    expect(chartSettingsFromQuery(new URLSearchParams())).toEqual(DEFAULT_CHART_SETTINGS);
  });

  it('round-trips every setting through a URL query string', () => {
    const settings: ChartSettings = {
      xAxis: 'relative',
      logY: true,
      smoothing: 'ema',
      smoothingAmount: 0.85,
      ignoreOutliers: true,
      zoom: [100, 2500.5],
      metricFilter: 'val/loss & acc',
      bar: 'metrics.accuracy',
      scatter: ['params.lr', 'metrics.val loss'],
      parallel: ['params.lr', 'params.batch_size', 'metrics.accuracy'],
    };
    const url = new URLSearchParams(chartSettingsToQuery(settings)).toString();
    expect(chartSettingsFromQuery(new URLSearchParams(url))).toEqual(settings);
  });

  it('keeps other query keys apart with its prefix', () => {
    const query = chartSettingsToQuery({ ...DEFAULT_CHART_SETTINGS, logY: true });
    expect(Object.keys(query).every((key) => key.startsWith('c.'))).toBe(true);
  });

  it('falls back to defaults for malformed values instead of failing', () => {
    const read = chartSettingsFromQuery({
      'c.x': 'epoch',
      'c.smooth': 'blur:3',
      'c.zoom': '9..3',
      'c.scatter': '["only-one"]',
      'c.parallel': '{not json',
    });
    expect(read).toEqual(DEFAULT_CHART_SETTINGS);
    expect(chartSettingsFromQuery({ 'c.smooth': 'ema:lots' })).toMatchObject({ smoothing: 'ema', smoothingAmount: 0.6 });
  });

  it('clamps smoothing amounts to their range', () => {
    expect(chartSettingsFromQuery({ 'c.smooth': 'ema:5' }).smoothingAmount).toBe(0.99);
    expect(chartSettingsFromQuery({ 'c.smooth': 'avg:0' }).smoothingAmount).toBe(1);
    expect(chartSettingsFromQuery({ 'c.smooth': 'avg:25.4' })).toMatchObject({ smoothing: 'avg', smoothingAmount: 25 });
  });
});
