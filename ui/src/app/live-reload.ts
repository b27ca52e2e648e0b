import { useEffect } from 'react';

/** While `live`, `reload` runs every `everyMs` (tab visible only): a page that is still changing follows itself. */
export const useLiveReload = (live: boolean, reload: () => void, everyMs: number) => {
  useEffect(() => {
    if (!live) return;
    const timer = setInterval(() => document.visibilityState === 'visible' && reload(), everyMs);
    return () => clearInterval(timer);
  }, [live, reload, everyMs]);
};
