// Sorting object entries by key bytes (bottom-up merge sort: O(n log n) even on hostile inputs
// with hundreds of thousands of keys, where duplicate detection by pairwise comparison would hang).

import { alloc } from "./heap";
import { lengthOf, payloadOf, compareStrings } from "./value";

/** Objects up to this size are sorted in place by insertion: no scratch buffer, fewer calls. */
const SMALL: usize = 12;

export function sortEntries(object: usize): void {
  const n = <usize>lengthOf(object);
  if (n < 2) return;
  if (n <= SMALL) {
    insertionSort(payloadOf(object), n);
    return;
  }
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

function insertionSort(entries: usize, n: usize): void {
  for (let i: usize = 1; i < n; i++) {
    const entry = load<u64>(entries + (i << 3));
    const key = <usize>(<u32>entry);
    let j = i;
    for (; j > 0 && compareStrings(load<u32>(entries + ((j - 1) << 3)), key) > 0; j--) store<u64>(entries + (j << 3), load<u64>(entries + ((j - 1) << 3)));
    store<u64>(entries + (j << 3), entry);
  }
}
