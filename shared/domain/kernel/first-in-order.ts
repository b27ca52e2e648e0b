/**
 * The first `count` items of `items` in `compare`'s order: what `[...items].sort(compare).slice(0, count)`
 * gives for a total order, in O(n log count) comparisons instead of O(n log n). A search page is the first
 * 100 or 1,000 of tens of thousands of matching runs; sorting them all was most of a warm search's time.
 * Keeps a max-heap of the best `count` seen (its root the worst of them), so most items cost one comparison.
 */
export const firstInOrder = <T>(items: readonly T[], count: number, compare: (a: T, b: T) => number): T[] => {
  if (count <= 0) return [];
  if (count * 4 >= items.length) return [...items].sort(compare).slice(0, count);
  const heap: T[] = [];
  const siftUp = (index: number) => {
    let i = index;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (compare(heap[i]!, heap[parent]!) <= 0) return;
      [heap[i], heap[parent]] = [heap[parent]!, heap[i]!];
      i = parent;
    }
  };
  const siftDown = () => {
    let i = 0;
    for (;;) {
      const left = 2 * i + 1;
      const right = left + 1;
      let largest = i;
      if (left < heap.length && compare(heap[left]!, heap[largest]!) > 0) largest = left;
      if (right < heap.length && compare(heap[right]!, heap[largest]!) > 0) largest = right;
      if (largest === i) return;
      [heap[i], heap[largest]] = [heap[largest]!, heap[i]!];
      i = largest;
    }
  };
  for (const item of items) {
    if (heap.length < count) {
      heap.push(item);
      siftUp(heap.length - 1);
    } else if (compare(item, heap[0]!) < 0) {
      heap[0] = item;
      siftDown();
    }
  }
  return heap.sort(compare);
};
