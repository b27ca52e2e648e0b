import { useState } from 'react';

/**
 * One server change at a time from a form: `busy` while it runs (buttons disable on it), its failure's
 * message in `error`; `act` answers whether it succeeded, so the form clears only then. With `final`, a
 * success leaves `busy` set: the action ends the form (the page moves on, the form goes), so it cannot run twice.
 */
export const useAction = ({ final = false }: { final?: boolean } = {}) => {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const act = async (fn: () => Promise<unknown>): Promise<boolean> => {
    setBusy(true);
    setError(undefined);
    try {
      await fn();
      if (!final) setBusy(false);
      return true;
    } catch (reason) {
      setError(reason instanceof Error ? reason.message : String(reason));
      setBusy(false);
      return false;
    }
  };
  return { busy, error, act };
};
