import { useEffect, useRef, useState, type ReactNode } from 'react';

/**
 * Mounts its children only while near the viewport (IntersectionObserver), and keeps its height when they
 * are not mounted so the page never jumps: a run with 500 metrics mounts a dozen charts, not 500.
 */
export const LazyMount = ({ height, children, margin = '400px' }: { height: number; children: ReactNode; margin?: string }) => {
  const box = useRef<HTMLDivElement>(null);
  const [near, setNear] = useState(typeof IntersectionObserver === 'undefined');
  useEffect(() => {
    const element = box.current;
    if (!element || typeof IntersectionObserver === 'undefined') return;
    const observer = new IntersectionObserver(([entry]) => entry && setNear(entry.isIntersecting), { rootMargin: margin });
    observer.observe(element);
    return () => observer.disconnect();
  }, [margin]);
  return (
    <div ref={box} style={{ minHeight: height }} className="cairn-lazy">
      {near ? children : null}
    </div>
  );
};
