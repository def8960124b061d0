// Sorting object entries by key bytes (bottom-up merge sort: O(n log n) even on hostile inputs
// with hundreds of thousands of keys, where duplicate detection by pairwise comparison would hang).

import { alloc } from "./heap";
import { lengthOf, payloadOf, compareStrings } from "./value";

export function sortEntries(object: usize): void {
  const n = <usize>lengthOf(object);
  if (n < 2) return;
  let source = payloadOf(object);
  let target = alloc(n << 3);
  for (let width: usize = 1; width < n; width <<= 1) {
    for (let low: usize = 0; low < n; low += width << 1) merge(source, target, low, min(low + width, n), min(low + (width << 1), n));
    const swap = source;
    source = target;
    target = swap;
  }
  store<u32>(object, <u32>source, 8);
}

function merge(source: usize, target: usize, low: usize, middle: usize, high: usize): void {
  let i = low;
  let j = middle;
  for (let k = low; k < high; k++) {
    const takeLeft = j >= high || (i < middle && compareStrings(load<u32>(source + (i << 3)), load<u32>(source + (j << 3))) <= 0);
    const from = source + ((takeLeft ? i++ : j++) << 3);
    store<u64>(target + (k << 3), load<u64>(from));
  }
}
