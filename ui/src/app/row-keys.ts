import { useEffect, type RefObject } from 'react';
import { isTyping, listStep } from './keyboard';

/**
 * j/k move through a table's rows, as in the runs table and the traces list: focus goes to each row's main
 * link (`selector`), so Enter opens it.
 */
export const useRowKeys = (body: RefObject<HTMLElement | null>, selector: string) => {
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if ((event.key !== 'j' && event.key !== 'k') || isTyping(event.target) || event.metaKey || event.ctrlKey || event.altKey) return;
      const links = [...(body.current?.querySelectorAll<HTMLAnchorElement>(selector) ?? [])];
      const at = links.findIndex((link) => link === document.activeElement);
      const next = listStep(event.key, at >= 0 ? at : event.key === 'j' ? -1 : links.length, links.length);
      const link = next === undefined ? undefined : links[next];
      if (!link) return;
      event.preventDefault();
      link.focus();
      link.scrollIntoView?.({ block: 'nearest' });
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [body, selector]);
};
