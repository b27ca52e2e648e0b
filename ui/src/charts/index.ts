export { ChartsPanel, type ChartsPanelProps } from './ChartsPanel';
export { LineChart, type ChartRun } from './LineChart';
export { chartSettingsFromQuery, chartSettingsToQuery, DEFAULT_CHART_SETTINGS, type ChartSettings } from './settings';
export { fetchBuckets, type RunSeries } from './buckets';
