// The value representation (docs/wasm.md, "Values"). Every value is a 16-byte cell:
//   +0 u32 tag, +4 u32 length (bytes of a string, items of an array/set, entries of an object),
//   +8 payload: f64 for numbers, u32 0/1 for booleans, u32 address of bytes/items/entries otherwise.
// Array and set items are u32 value addresses; object entries are (key value, value) address pairs.
// Objects read from JSON are sorted by key bytes (duplicate detection, binary-search lookup);
// objects built by generated code keep their construction order, which is the order they dump in.

import { alloc } from "./heap";
import {
  CELL_SIZE, CELL_LENGTH, CELL_PAYLOAD, TAG_NULL, TAG_BOOL, TAG_NUMBER, TAG_STRING, TAG_OBJECT,
} from "./generated/abi";

// The tags are part of the ABI (contract/abi/layout.ts): the rest of the runtime takes them from here.
export { TAG_NULL, TAG_BOOL, TAG_NUMBER, TAG_STRING, TAG_ARRAY, TAG_OBJECT, TAG_SET } from "./generated/abi";

export const NULL_VALUE: usize = memory.data<u32>([TAG_NULL, 0, 0, 0], 8);
export const TRUE_VALUE: usize = memory.data<u32>([TAG_BOOL, 0, 1, 0], 8);
export const FALSE_VALUE: usize = memory.data<u32>([TAG_BOOL, 0, 0, 0], 8);

// @ts-expect-error: a decorator on a function is AssemblyScript, not TypeScript; @inline: a hot helper
@inline export function tagOf(v: usize): u32 {
  return load<u32>(v);
}

// @ts-expect-error: a decorator on a function is AssemblyScript, not TypeScript; @inline: a hot helper
@inline export function lengthOf(v: usize): u32 {
  return load<u32>(v, CELL_LENGTH);
}

// @ts-expect-error: a decorator on a function is AssemblyScript, not TypeScript; @inline: a hot helper
@inline export function payloadOf(v: usize): usize {
  return <usize>load<u32>(v, CELL_PAYLOAD);
}

// @ts-expect-error: a decorator on a function is AssemblyScript, not TypeScript; @inline: a hot helper
@inline export function numberOf(v: usize): f64 {
  return load<f64>(v, CELL_PAYLOAD);
}

export function boolValue(b: bool): usize {
  return b ? TRUE_VALUE : FALSE_VALUE;
}

export function newNumber(n: f64): usize {
  const v = alloc(CELL_SIZE);
  store<u32>(v, TAG_NUMBER);
  store<f64>(v, n, CELL_PAYLOAD);
  return v;
}

/** A string value over `length` UTF-8 bytes at `bytes` (not copied). */
export function newString(bytes: usize, length: u32): usize {
  const v = alloc(CELL_SIZE);
  store<u32>(v, TAG_STRING);
  store<u32>(v, length, CELL_LENGTH);
  store<u32>(v, <u32>bytes, CELL_PAYLOAD);
  return v;
}

/** An array, set or object with `length` slots of `slotSize` bytes, to be filled by the caller. */
export function newCollection(tag: u32, length: u32, slotSize: usize): usize {
  const v = alloc(CELL_SIZE);
  store<u32>(v, tag);
  store<u32>(v, length, CELL_LENGTH);
  store<u32>(v, <u32>alloc(<usize>length * slotSize), CELL_PAYLOAD);
  return v;
}

export function itemAt(collection: usize, index: u32): usize {
  return <usize>load<u32>(payloadOf(collection) + (<usize>index << 2));
}

export function setItem(collection: usize, index: u32, item: usize): void {
  store<u32>(payloadOf(collection) + (<usize>index << 2), <u32>item);
}

export function entryKey(object: usize, index: u32): usize {
  return <usize>load<u32>(payloadOf(object) + (<usize>index << 3));
}

export function entryValue(object: usize, index: u32): usize {
  return <usize>load<u32>(payloadOf(object) + (<usize>index << 3), 4);
}

export function setEntry(object: usize, index: u32, key: usize, value: usize): void {
  const at = payloadOf(object) + (<usize>index << 3);
  store<u32>(at, <u32>key);
  store<u32>(at, <u32>value, 4);
}

/** Byte-wise comparison of two byte strings; for UTF-8 this is Unicode code point order. */
export function compareBytes(a: usize, aLength: u32, b: usize, bLength: u32): i32 {
  const n = min(aLength, bLength);
  const diff = memory.compare(a, b, n);
  if (diff != 0) return diff;
  return aLength < bLength ? -1 : aLength > bLength ? 1 : 0;
}

export function compareStrings(a: usize, b: usize): i32 {
  return compareBytes(payloadOf(a), lengthOf(a), payloadOf(b), lengthOf(b));
}

/** The value under `key` (`keyLength` UTF-8 bytes) in a sorted (parsed) object, or 0. */
export function lookup(object: usize, key: usize, keyLength: u32): usize {
  if (object == 0 || tagOf(object) != TAG_OBJECT) return 0;
  const n = lengthOf(object);
  // Records are small: a scan that rejects on length first beats a binary search of full compares.
  // Keys written by the Node fast path point at the very bytes generated code passes as `key`.
  if (n <= 16) {
    for (let i: u32 = 0; i < n; i++) {
      const k = entryKey(object, i);
      if (lengthOf(k) == keyLength && (payloadOf(k) == key || bytesEqual(payloadOf(k), key, keyLength))) return entryValue(object, i);
    }
    return 0;
  }
  let low: i32 = 0;
  let high: i32 = <i32>n - 1;
  while (low <= high) {
    const mid = (low + high) >>> 1;
    const k = entryKey(object, mid);
    const order = compareBytes(payloadOf(k), lengthOf(k), key, keyLength);
    if (order == 0) return entryValue(object, mid);
    if (order < 0) low = mid + 1;
    else high = mid - 1;
  }
  return 0;
}

function bytesEqual(a: usize, b: usize, length: u32): bool {
  let i: u32 = 0;
  for (; i + 4 <= length; i += 4) if (load<u32>(a + i) != load<u32>(b + i)) return false;
  for (; i < length; i++) if (load<u8>(a + i) != load<u8>(b + i)) return false;
  return true;
}
