import { useCallback, useEffect, useState } from 'react';
import { EMPTY_LAYOUT, loadLayout, saveLayout, type ColumnLayout } from './column-model';

/** The column layout of one experiment's table, kept in localStorage so it survives reloads. */
export const useColumnLayout = (experimentKey: string) => {
  const [layout, setLayout] = useState<ColumnLayout>(() => loadLayout(experimentKey));
  useEffect(() => setLayout(loadLayout(experimentKey)), [experimentKey]);
  const update = useCallback(
    (change: (current: ColumnLayout) => ColumnLayout) =>
      setLayout((current) => {
        const next = change(current);
        saveLayout(experimentKey, next);
        return next;
      }),
    [experimentKey],
  );
  const reset = useCallback(() => update(() => EMPTY_LAYOUT), [update]);
  return { layout, update, reset };
};
