/**
 * MLflow's CalculateTraceFilterCorrelation: how strongly two trace filters go together over the traces of some
 * experiments (those passing `base_filter`, when given), as normalized pointwise mutual information (NPMI, -1 to 1)
 * of the 2×2 table of counts, unsmoothed and with Jeffreys' prior (0.5 added to each cell). Undefined values are
 * NaN, as in MLflow (mlflow/store/analytics/trace_correlation.py).
 */
import { parseTraceFilter } from './filter.js';
import { allMatches, filterInfos, type TraceSearchDeps } from './search.js';

export interface CorrelationRequest {
  readonly experimentIds: readonly string[];
  readonly filter1: string;
  readonly filter2: string;
  readonly baseFilter?: string | undefined;
}

export interface CorrelationResult {
  readonly npmi: number;
  readonly npmiSmoothed: number;
  readonly filter1Count: number;
  readonly filter2Count: number;
  readonly jointCount: number;
  readonly totalCount: number;
}

const JEFFREYS_PRIOR = 0.5;

/** @throws MlflowError INVALID_PARAMETER_VALUE when a filter is malformed. */
export const calculateFilterCorrelation = async (deps: TraceSearchDeps, request: CorrelationRequest): Promise<CorrelationResult> => {
  const base = parseTraceFilter(request.baseFilter);
  const first = parseTraceFilter(request.filter1);
  const second = parseTraceFilter(request.filter2);
  let [totalCount, filter1Count, filter2Count, jointCount] = [0, 0, 0, 0];
  for (const experimentId of new Set(request.experimentIds)) {
    const population = await allMatches(deps, experimentId, base);
    const [one, two] = await Promise.all([
      filterInfos(deps, experimentId, population, first),
      filterInfos(deps, experimentId, population, second),
    ]);
    const inOne = new Set(one.map((info) => info.traceId));
    totalCount += population.length;
    filter1Count += one.length;
    filter2Count += two.length;
    jointCount += two.filter((info) => inOne.has(info.traceId)).length;
  }
  return { ...npmiOf(jointCount, filter1Count, filter2Count, totalCount), filter1Count, filter2Count, jointCount, totalCount };
};

/** NPMI of the counts: NaN without support, -1 (unsmoothed) for filters that never meet. */
export const npmiOf = (joint: number, count1: number, count2: number, total: number): { npmi: number; npmiSmoothed: number } => {
  const undefinedResult = { npmi: Number.NaN, npmiSmoothed: Number.NaN };
  if (total <= 0 || count1 === 0 || count2 === 0) return undefinedResult;
  const cells = { both: joint, onlyOne: count1 - joint, onlyTwo: count2 - joint, neither: total - count1 - count2 + joint };
  if (Math.min(cells.both, cells.onlyOne, cells.onlyTwo, cells.neither) < 0) return undefinedResult;
  return {
    npmi: joint === 0 ? -1 : npmiOfCells(cells, 0),
    npmiSmoothed: npmiOfCells(cells, JEFFREYS_PRIOR),
  };
};

interface Cells {
  readonly both: number;
  readonly onlyOne: number;
  readonly onlyTwo: number;
  readonly neither: number;
}

const npmiOfCells = (cells: Cells, smoothing: number): number => {
  const both = cells.both + smoothing;
  const total = both + cells.onlyOne + cells.onlyTwo + cells.neither + 3 * smoothing;
  const one = both + cells.onlyOne + smoothing;
  const two = both + cells.onlyTwo + smoothing;
  if (one <= 0 || two <= 0 || both <= 0) return Number.NaN;
  // Always together: the association is perfect (smoothing would otherwise pull it below 1).
  if (cells.onlyOne === 0 && cells.onlyTwo === 0 && cells.neither === 0) return 1;
  const pmi = Math.log(both) + Math.log(total) - Math.log(one) - Math.log(two);
  const npmi = pmi / -(Math.log(both) - Math.log(total));
  return Math.max(-1, Math.min(1, npmi));
};
