/**
 * The `k` smallest of `items` by `compare`, in order: a bounded max-heap, so a page of 100 out of 100,000
 * candidates costs about n·log k comparisons instead of a full sort. Falls back to sorting when `k` is most of
 * the input anyway.
 */
export const smallestK = <T>(items: T[], k: number, compare: (a: T, b: T) => number): T[] => {
  if (k <= 0) return [];
  if (k * 4 >= items.length) return items.sort(compare).slice(0, k);
  const heap: T[] = [];
  const above = (i: number, j: number) => compare(heap[i] as T, heap[j] as T) > 0;
  const swap = (i: number, j: number) => {
    const t = heap[i] as T;
    heap[i] = heap[j] as T;
    heap[j] = t;
  };
  const siftDown = (start: number) => {
    let i = start;
    for (;;) {
      const left = 2 * i + 1;
      const right = left + 1;
      let top = i;
      if (left < heap.length && above(left, top)) top = left;
      if (right < heap.length && above(right, top)) top = right;
      if (top === i) return;
      swap(i, top);
      i = top;
    }
  };
  for (const item of items) {
    if (heap.length < k) {
      heap.push(item);
      for (let i = heap.length - 1; i > 0; ) {
        const parent = (i - 1) >> 1;
        if (!above(i, parent)) break;
        swap(i, parent);
        i = parent;
      }
    } else if (compare(item, heap[0] as T) < 0) {
      heap[0] = item;
      siftDown(0);
    }
  }
  return heap.sort(compare);
};
