import { act, cleanup, render } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { LazyMount } from './LazyMount';

/** jsdom has no layout, so no IntersectionObserver: this one lets the test say what is near the viewport. */
class ControlledObserver {
  static instances: ControlledObserver[] = [];
  constructor(readonly callback: IntersectionObserverCallback) {
    ControlledObserver.instances.push(this);
  }
  observe() {}
  disconnect() {}
  unobserve() {}
  takeRecords() {
    return [];
  }
  report(isIntersecting: boolean) {
    this.callback([{ isIntersecting } as IntersectionObserverEntry], this as unknown as IntersectionObserver);
  }
}

afterEach(() => {
  cleanup();
  ControlledObserver.instances = [];
});

describe('LazyMount', () => {
  it('keeps the space of a chart far from the viewport and mounts it only when it comes near', () => {
    const original = globalThis.IntersectionObserver;
    globalThis.IntersectionObserver = ControlledObserver as unknown as typeof IntersectionObserver;
    try {
      const { container, queryByText } = render(
        <LazyMount height={300}>
          <p>chart</p>
        </LazyMount>,
      );
      const box = container.firstElementChild as HTMLElement;
      expect(box.style.minHeight).toBe('300px');
      expect(queryByText('chart')).toBeNull();

      act(() => ControlledObserver.instances[0]!.report(true));
      expect(queryByText('chart')).not.toBeNull();

      act(() => ControlledObserver.instances[0]!.report(false));
      expect(queryByText('chart')).toBeNull();
      expect(box.style.minHeight).toBe('300px');
    } finally {
      globalThis.IntersectionObserver = original;
    }
  });
});
