import { lazy, type ComponentType, type LazyExoticComponent } from 'react';
import type { Run } from '../api/types';

/**
 * The charts and compare views are built alongside this shell (ui/src/charts, ui/src/compare). They are
 * found with import.meta.glob so the shell builds with or without them, and each lands in its own chunk.
 */
export interface ChartsPanelProps {
  /** The experiments whose runs are shown. */
  experimentIds: string[];
  /** The runs to chart: the selected ones, or the loaded ones when nothing is selected. */
  runIds: string[];
  /** Display names by run id (legends). */
  runNames: Record<string, string>;
  /** The runs already read (the table's pages), so the charts do not read them again. */
  runDetails?: readonly Run[];
}

export interface ComparePageProps {
  runIds: string[];
  experimentIds: string[];
}

type Module = Record<string, unknown>;
const chartsModules = import.meta.glob<Module>('../charts/index.ts');
const compareModules = import.meta.glob<Module>('../compare/index.ts');

const Missing = ({ what }: { what: string }) => <div className="empty">{what} is not part of this build.</div>;

const fromModule = <P,>(loaders: Record<string, () => Promise<Module>>, exportName: string, what: string) => {
  const loader = Object.values(loaders)[0];
  return lazy(async () => {
    const module = loader ? await loader() : undefined;
    const component = module?.[exportName] ?? module?.default;
    if (typeof component === 'function' || (typeof component === 'object' && component !== null)) {
      return { default: component as ComponentType<P> };
    }
    return { default: (() => <Missing what={what} />) as ComponentType<P> };
  }) as LazyExoticComponent<ComponentType<P>>;
};

export const ChartsPanel = fromModule<ChartsPanelProps>(chartsModules, 'ChartsPanel', 'The charts view');
export const ComparePage = fromModule<ComparePageProps>(compareModules, 'ComparePage', 'The compare view');
