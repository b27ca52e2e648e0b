import { useEffect, useRef, useState } from 'react';
import { getMetricHistory } from '../../api/mlflow';

const WIDTH = 120;
const HEIGHT = 24;

/** Min and max per pixel column, so a spike survives in 120 px (what a plain every-Nth sample would drop). */
export const sparkPath = (points: readonly { step?: number; value: number }[], width = WIDTH, height = HEIGHT): string => {
  const finite = points.filter((p) => Number.isFinite(p.value));
  if (finite.length === 0) return '';
  const steps = finite.map((p, i) => p.step ?? i);
  const minX = Math.min(...steps);
  const maxX = Math.max(...steps);
  let minY = Infinity;
  let maxY = -Infinity;
  for (const p of finite) (minY = Math.min(minY, p.value)), (maxY = Math.max(maxY, p.value));
  const x = (s: number) => (maxX === minX ? width / 2 : ((s - minX) / (maxX - minX)) * (width - 2) + 1);
  const y = (v: number) => (maxY === minY ? height / 2 : height - 1 - ((v - minY) / (maxY - minY)) * (height - 2));
  const columns = new Map<number, { lo: number; hi: number; first: number; last: number }>();
  finite.forEach((p, i) => {
    const col = Math.round(x(steps[i]!));
    const c = columns.get(col);
    if (!c) columns.set(col, { lo: p.value, hi: p.value, first: p.value, last: p.value });
    else (c.lo = Math.min(c.lo, p.value)), (c.hi = Math.max(c.hi, p.value)), (c.last = p.value);
  });
  const parts: string[] = [];
  for (const [col, c] of [...columns].sort((a, b) => a[0] - b[0])) {
    parts.push(`${parts.length ? 'L' : 'M'}${col},${y(c.first).toFixed(1)}`);
    if (c.hi !== c.lo) parts.push(`L${col},${y(c.hi).toFixed(1)}L${col},${y(c.lo).toFixed(1)}`);
    parts.push(`L${col},${y(c.last).toFixed(1)}`);
  }
  return parts.join('');
};

/** A metric's history in 120×24 px, fetched when it scrolls into view. */
export const Sparkline = ({ runId, metricKey, version }: { runId: string; metricKey: string; version: number }) => {
  const ref = useRef<SVGSVGElement>(null);
  const [visible, setVisible] = useState(false);
  const [path, setPath] = useState<string>();
  useEffect(() => {
    const element = ref.current;
    if (!element || typeof IntersectionObserver === 'undefined') return setVisible(true);
    const observer = new IntersectionObserver((entries) => entries.some((e) => e.isIntersecting) && setVisible(true));
    observer.observe(element);
    return () => observer.disconnect();
  }, []);
  useEffect(() => {
    if (!visible) return;
    const controller = new AbortController();
    getMetricHistory(runId, metricKey, controller.signal).then(
      (points) => setPath(points.length > 1 ? sparkPath(points) : ''),
      () => setPath(''),
    );
    return () => controller.abort();
  }, [visible, runId, metricKey, version]);
  return (
    <svg ref={ref} width={WIDTH} height={HEIGHT} className="sparkline" role="img" aria-label={`History of ${metricKey}`}>
      {path && <path d={path} fill="none" stroke="currentColor" strokeWidth="1.2" />}
    </svg>
  );
};
