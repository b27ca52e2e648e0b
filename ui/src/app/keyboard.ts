import { useEffect } from 'react';

/** True when a key press belongs to a text field, where single-letter shortcuts must not fire. */
export const isTyping = (target: EventTarget | null): boolean => {
  if (!(target instanceof HTMLElement)) return false;
  const tag = target.tagName;
  return tag === 'INPUT' || tag === 'TEXTAREA' || tag === 'SELECT' || target.isContentEditable;
};

/** `/` or Cmd/Ctrl+K focuses the page's search box (the element marked `data-search`). */
export const focusSearch = (): boolean => {
  const box = document.querySelector<HTMLInputElement>('[data-search]');
  if (!box) return false;
  box.focus();
  box.select();
  return true;
};

export const useGlobalShortcuts = (handlers: { help: () => void }) => {
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if ((event.metaKey || event.ctrlKey) && event.key.toLowerCase() === 'k') {
        if (focusSearch()) event.preventDefault();
        return;
      }
      if (isTyping(event.target) || event.metaKey || event.ctrlKey || event.altKey) return;
      if (event.key === '/') {
        if (focusSearch()) event.preventDefault();
      } else if (event.key === '?') {
        event.preventDefault();
        handlers.help();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [handlers]);
};

/**
 * j/k (and the arrow keys) move through a list: `count` items, `active` the current one. Only when focus is
 * not in a text field and inside `scope` (or nowhere in particular).
 */
export const listStep = (key: string, active: number, count: number): number | undefined => {
  if (count === 0) return undefined;
  if (key === 'j' || key === 'ArrowDown') return Math.min(count - 1, active + 1);
  if (key === 'k' || key === 'ArrowUp') return Math.max(0, active - 1);
  if (key === 'Home') return 0;
  if (key === 'End') return count - 1;
  return undefined;
};
