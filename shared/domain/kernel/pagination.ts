import { invalidParameter } from '../../errors/index.js';

/**
 * Page sizes of every paged endpoint in one place. Where MLflow's handler or store bounds max_results,
 * the bound and its message are MLflow's and a larger value is refused; where MLflow has none (metric
 * history, logged models), a larger value is accepted and the page is cut at Cairn's bound with a
 * next_page_token, which MLflow's clients follow. Cairn's own endpoints refuse values outside their range.
 */
export interface PageSizeRule {
  readonly default: number;
  readonly max: number;
  /** Over `max`: refused, or cut to `max` (the endpoint answers a page and a token). */
  readonly overMax: 'refuse' | 'cap';
  readonly message: (requested: number) => string;
}

const mlflowMessage = (max: number) => (requested: number) =>
  `Invalid value for request parameter max_results. It must be at most ${max}, but got value ${requested}`;

const rangeMessage = (max: number) => (requested: number) =>
  `Invalid value ${requested} for max_results: expected an integer from 1 to ${max}.`;

export const PAGE_SIZES = {
  /** Over the bound, MLflow's handler schema (`_assert_less_than_or_equal(int(x), 50000)`) answers before its store. */
  searchRuns: {
    default: 1000,
    max: 50_000,
    overMax: 'refuse',
    message: (requested) =>
      requested > 50_000
        ? `Invalid value ${requested} for parameter 'max_results' supplied. Hint: Value was of type 'int'. See the API docs for more information about request parameters.`
        : mlflowMessage(50_000)(requested),
  },
  searchExperiments: {
    default: 1000,
    max: 50_000,
    overMax: 'refuse',
    message: (requested) => `Invalid value for max_results. It must be at most 50000, but got ${requested}`,
  },
  searchRegisteredModels: { default: 100, max: 1000, overMax: 'refuse', message: mlflowMessage(1000) },
  searchModelVersions: { default: 10_000, max: 200_000, overMax: 'refuse', message: mlflowMessage(200_000) },
  searchLoggedModels: {
    default: 50,
    max: 1000,
    overMax: 'cap',
    message: (requested) => `max_results must be a positive integer, got ${requested}`,
  },
  /** MLflow's client and UI page the history 25,000 points at a time (GET_METRIC_HISTORY_MAX_RESULTS). */
  metricHistory: {
    default: 25_000,
    max: 25_000,
    overMax: 'cap',
    message: (requested) => `max_results must be a positive integer, got ${requested}`,
  },
  webhooks: { default: 100, max: 1000, overMax: 'refuse', message: () => 'max_results must be between 1 and 1000.' },
  webhookDeliveries: { default: 100, max: 1000, overMax: 'refuse', message: rangeMessage(1000) },
  deployments: { default: 100, max: 1000, overMax: 'refuse', message: rangeMessage(1000) },
} as const satisfies Record<string, PageSizeRule>;

/** The page size a request asks for under `rule`: its default when absent. @throws INVALID_PARAMETER_VALUE */
export const pageSizeOf = (requested: number | undefined, rule: PageSizeRule): number => {
  if (requested === undefined) return rule.default;
  if (!Number.isSafeInteger(requested) || requested < 1) throw invalidParameter(rule.message(requested));
  if (requested <= rule.max) return requested;
  if (rule.overMax === 'cap') return rule.max;
  throw invalidParameter(rule.message(requested));
};
