import { useEffect, useState } from 'react';

/** The page theme (`data-theme` on <html>, set by the shell); charts drawn on canvas redraw when it flips. */
export const usePageTheme = (): string => {
  const read = () => document.documentElement.dataset.theme ?? 'light';
  const [theme, setTheme] = useState(read);
  useEffect(() => {
    if (typeof MutationObserver === 'undefined') return;
    const observer = new MutationObserver(() => setTheme(read()));
    observer.observe(document.documentElement, { attributes: true, attributeFilter: ['data-theme'] });
    return () => observer.disconnect();
  }, []);
  return theme;
};

/** Canvas cannot read CSS variables: resolve the shell's colours to strings (with fallbacks for other hosts). */
export const chartColors = () => {
  const style = getComputedStyle(document.documentElement);
  const pick = (name: string, fallback: string) => style.getPropertyValue(name).trim() || fallback;
  return { text: pick('--text-soft', '#586174'), grid: pick('--border', '#d9dde3') };
};
