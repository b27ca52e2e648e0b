import { useState } from 'react';

/**
 * One server change at a time from a form: `busy` while it runs (buttons disable on it), its failure's
 * message in `error`; `act` answers whether it succeeded, so the form clears only then.
 */
export const useAction = () => {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const act = async (fn: () => Promise<unknown>): Promise<boolean> => {
    setBusy(true);
    setError(undefined);
    try {
      await fn();
      return true;
    } catch (reason) {
      setError(reason instanceof Error ? reason.message : String(reason));
      return false;
    } finally {
      setBusy(false);
    }
  };
  return { busy, error, act };
};
