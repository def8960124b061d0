// Structural 64-bit hashes of values, consistent with ops.ts equalValues (equal values hash alike),
// and sorting of collection items by hash (a radix sort: linear time), so that sets are deduplicated
// and compared without comparing every pair of elements (ops.ts countDistinct, equalValues).
//
// Strings and compound values are hashed with SipHash-1-3 under a fixed key. The key is public,
// but SipHash cannot be steered like a multiply-and-xor hash: a hostile input cannot make many
// distinct strings share a hash and so pile its set elements into one run of equal hashes.
// Numbers hash to their bits (-0 as +0), so distinct numbers never collide. (A compound value
// hashes its elements' 64-bit hashes, so one pair of colliding strings, found by brute force,
// would make many colliding lists; that costs comparisons within a run, never a wrong answer.)

import { alloc, getHeapTop, setHeapTop } from "./heap";
import { TAG_NULL, TAG_BOOL, TAG_NUMBER, TAG_STRING, tagOf, lengthOf, payloadOf, numberOf, itemAt, lookup } from "./value";
import {
  KIND_SET, KIND_LIST, KIND_RECORD, TYPE_ELEMENT, TYPE_FIELD_COUNT, TYPE_FIELDS, FIELD_SIZE, FIELD_NAME, FIELD_NAME_LENGTH,
  FIELD_TYPE,
} from "./type-table";

/** A missing field or JSON null: records treat both as absent. */
export function isAbsent(v: usize): bool {
  return v == 0 || tagOf(v) == TAG_NULL;
}

/** The hash word of an absent record field. */
const ABSENT: u64 = 0x9e3779b97f4a7c15;

/** The hash of `v`, a value of type table `type`: equal when equalValues(v, w, type) holds. */
export function hashValue(v: usize, type: usize): u64 {
  const kind = load<u32>(type);
  if (kind == KIND_SET) return hashSet(v, <usize>load<u32>(type, TYPE_ELEMENT));
  if (kind == KIND_LIST) return hashList(v, <usize>load<u32>(type, TYPE_ELEMENT));
  if (kind == KIND_RECORD) return hashRecord(v, type);
  const tag = tagOf(v);
  if (tag == TAG_STRING) return sipHash(payloadOf(v), lengthOf(v));
  if (tag == TAG_NUMBER) return numberOf(v) == 0 ? 0 : reinterpret<u64>(numberOf(v));
  if (tag == TAG_BOOL) return payloadOf(v);
  return 0;
}

function hashList(list: usize, element: usize): u64 {
  const mark = getHeapTop();
  const n = lengthOf(list);
  const words = alloc(<usize>n << 3);
  for (let i: u32 = 0; i < n; i++) store<u64>(words + (<usize>i << 3), hashValue(itemAt(list, i), element));
  const h = sipHash(words, <usize>n << 3);
  setHeapTop(mark);
  return h;
}

function hashRecord(record: usize, type: usize): u64 {
  const mark = getHeapTop();
  const n = load<u32>(type, TYPE_FIELD_COUNT);
  const fields = <usize>load<u32>(type, TYPE_FIELDS);
  const words = alloc(<usize>n << 3);
  for (let i: u32 = 0; i < n; i++) {
    const field = fields + <usize>i * FIELD_SIZE;
    const x = lookup(record, <usize>load<u32>(field, FIELD_NAME), load<u32>(field, FIELD_NAME_LENGTH));
    store<u64>(words + (<usize>i << 3), isAbsent(x) ? ABSENT : hashValue(x, <usize>load<u32>(field, FIELD_TYPE)));
  }
  const h = sipHash(words, <usize>n << 3);
  setHeapTop(mark);
  return h;
}

/**
 * Hashes the distinct item hashes in increasing order: equal sets have the same items up to order
 * and repetition, so the same distinct item hashes.
 */
function hashSet(set: usize, element: usize): u64 {
  const mark = getHeapTop();
  const entries = sortedItems(set, element);
  let distinct: usize = 0;
  // Compacting in place: word i is written at or below entry i, which has been read.
  for (let i: u32 = 0, n = lengthOf(set); i < n; i++) {
    const h = entryHash(entries, i);
    if (distinct == 0 || h != load<u64>(entries + ((distinct - 1) << 3))) store<u64>(entries + (distinct++ << 3), h);
  }
  const h = sipHash(entries, distinct << 3);
  setHeapTop(mark);
  return h;
}

// --- items sorted by hash ---------------------------------------------------------------------

/** An entry is 16 bytes: an item's hash (u64), then the item's address (u32). */
export const ENTRY_SIZE: usize = 16;

export function entryHash(entries: usize, i: u32): u64 {
  return load<u64>(entries + <usize>i * ENTRY_SIZE);
}

export function entryItem(entries: usize, i: u32): usize {
  return <usize>load<u32>(entries + <usize>i * ENTRY_SIZE, 8);
}

export function swapEntries(entries: usize, i: u32, j: u32): void {
  const a = entries + <usize>i * ENTRY_SIZE;
  const b = entries + <usize>j * ENTRY_SIZE;
  const h = load<u64>(a);
  const item = load<u32>(a, 8);
  store<u64>(a, load<u64>(b));
  store<u32>(a, load<u32>(b, 8), 8);
  store<u64>(b, h);
  store<u32>(b, item, 8);
}

/** Room for `n` entries, then as much scratch space for sorting them. */
export function allocEntries(n: u32): usize {
  return alloc(<usize>n * ENTRY_SIZE * 2);
}

/** Entries for the items of `set`, sorted by hash (allocated with their scratch space). */
export function sortedItems(set: usize, element: usize): usize {
  const n = lengthOf(set);
  const entries = allocEntries(n);
  putSortedItems(set, element, entries, 0, entries + <usize>n * ENTRY_SIZE);
  return entries;
}

/** Writes entries for the items of `collection` at index `low` of `entries`, sorted by hash through `scratch`. */
export function putSortedItems(collection: usize, element: usize, entries: usize, low: u32, scratch: usize): void {
  const n = lengthOf(collection);
  for (let i: u32 = 0; i < n; i++) {
    const item = itemAt(collection, i);
    const at = entries + <usize>(low + i) * ENTRY_SIZE;
    store<u64>(at, hashValue(item, element));
    store<u32>(at, <u32>item, 8);
  }
  sortByHash(entries, low, low + n, scratch);
}

/** Ranges up to this size are sorted by insertion: a radix pass over them costs more than it saves. */
const INSERTION_SORT_MAX: u32 = 16;
/** At most 2^11 buckets per radix pass, so that the pass writes to few enough places at once to stay in cache. */
const MAX_DIGIT_BITS: i32 = 11;

/** Sorts entries `[low, high)` by hash, through the same indices of `scratch`. */
function sortByHash(entries: usize, low: u32, high: u32, scratch: usize): void {
  radixSortByHash(entries, low, high, scratch, 64);
}

/**
 * Most significant digit first radix sort of `[low, high)`, whose hashes agree above bit `shift`:
 * a pass distributes the entries by their next digit into buckets (2,048 at most), each then
 * sorted on its own by the following digits, down to a few entries per bucket (hashes are
 * uniform), which are sorted by insertion. Each entry is moved about twice on a large input: once
 * through memory, once within a bucket that fits in cache. A digit every entry shares moves
 * nothing, so runs of equal hashes (repeated elements) cost one counting pass per digit.
 */
function radixSortByHash(entries: usize, low: u32, high: u32, scratch: usize, shift: u32): void {
  for (;;) {
    const n = high - low;
    if (n <= INSERTION_SORT_MAX) {
      insertionSortByHash(entries, low, high);
      return;
    }
    if (shift == 0) return;
    const bits = min(shift, <u32>min(<i32>(31 - clz(n)) - 3, MAX_DIGIT_BITS));
    shift -= bits;
    const mark = getHeapTop();
    const buckets: u32 = 1 << bits;
    const counts = alloc(<usize>buckets << 2);
    memory.fill(counts, 0, <usize>buckets << 2);
    for (let i = low; i < high; i++) {
      const at = counts + (<usize>digit(entryHash(entries, i), shift, buckets) << 2);
      store<u32>(at, load<u32>(at) + 1);
    }
    if (load<u32>(counts + (<usize>digit(entryHash(entries, low), shift, buckets) << 2)) == n) {
      setHeapTop(mark);
      continue;
    }
    // Counts become each bucket's first index, then, once the entries are placed, its end.
    let next = low;
    for (let d: u32 = 0; d < buckets; d++) {
      const at = counts + (<usize>d << 2);
      const count = load<u32>(at);
      store<u32>(at, next);
      next += count;
    }
    for (let i = low; i < high; i++) {
      const at = counts + (<usize>digit(entryHash(entries, i), shift, buckets) << 2);
      const to = load<u32>(at);
      store<u32>(at, to + 1);
      copyEntry(scratch, to, entries, i);
    }
    memory.copy(entries + <usize>low * ENTRY_SIZE, scratch + <usize>low * ENTRY_SIZE, <usize>n * ENTRY_SIZE);
    let start = low;
    for (let d: u32 = 0; d < buckets; d++) {
      const end = load<u32>(counts + (<usize>d << 2));
      if (end - start > 1) radixSortByHash(entries, start, end, scratch, shift);
      start = end;
    }
    setHeapTop(mark);
    return;
  }
}

function insertionSortByHash(entries: usize, low: u32, high: u32): void {
  for (let i = low + 1; i < high; i++) {
    const at = entries + <usize>i * ENTRY_SIZE;
    const h = load<u64>(at);
    const item = load<u64>(at, 8);
    let j = i;
    for (; j > low && entryHash(entries, j - 1) > h; j--) copyEntry(entries, j, entries, j - 1);
    const to = entries + <usize>j * ENTRY_SIZE;
    store<u64>(to, h);
    store<u64>(to, item, 8);
  }
}

/** The digit of `h` below bit `shift + log2(buckets)`. */
// @ts-expect-error: a decorator on a function is AssemblyScript, not TypeScript; @inline: a hot helper
@inline function digit(h: u64, shift: u32, buckets: u32): u32 {
  return <u32>(h >> <u64>shift) & (buckets - 1);
}

// @ts-expect-error: a decorator on a function is AssemblyScript, not TypeScript; @inline: a hot helper
@inline function copyEntry(target: usize, to: u32, source: usize, from: u32): void {
  const t = target + <usize>to * ENTRY_SIZE;
  const s = source + <usize>from * ENTRY_SIZE;
  store<u64>(t, load<u64>(s));
  store<u64>(t, load<u64>(s, 8), 8);
}

/** Merges the sorted runs `[low, middle)` and `[middle, high)` of `source` into `target`. */
export function mergeByHash(source: usize, target: usize, low: u32, middle: u32, high: u32): void {
  let i = low;
  let j = middle;
  for (let k = low; k < high; k++) {
    const takeLeft = j >= high || (i < middle && entryHash(source, i) <= entryHash(source, j));
    copyEntry(target, k, source, takeLeft ? i++ : j++);
  }
}

// --- SipHash-1-3 (Aumasson & Bernstein), key 0 --------------------------------------------------

let v0: u64 = 0;
let v1: u64 = 0;
let v2: u64 = 0;
let v3: u64 = 0;

function sipRound(): void {
  v0 += v1;
  v1 = rotl<u64>(v1, 13) ^ v0;
  v0 = rotl<u64>(v0, 32);
  v2 += v3;
  v3 = rotl<u64>(v3, 16) ^ v2;
  v0 += v3;
  v3 = rotl<u64>(v3, 21) ^ v0;
  v2 += v1;
  v1 = rotl<u64>(v1, 17) ^ v2;
  v2 = rotl<u64>(v2, 32);
}

function sipWord(m: u64): void {
  v3 ^= m;
  sipRound();
  v0 ^= m;
}

function sipHash(bytes: usize, length: usize): u64 {
  v0 = 0x736f6d6570736575;
  v1 = 0x646f72616e646f6d;
  v2 = 0x6c7967656e657261;
  v3 = 0x7465646279746573;
  const whole = length & ~7;
  for (let i: usize = 0; i < whole; i += 8) sipWord(load<u64>(bytes + i));
  let last = <u64>(length & 0xff) << 56;
  for (let i = whole; i < length; i++) last |= <u64>load<u8>(bytes + i) << <u64>((i - whole) << 3);
  sipWord(last);
  v2 ^= 0xff;
  sipRound();
  sipRound();
  sipRound();
  return v0 ^ v1 ^ v2 ^ v3;
}
