// opa_value_add_path / opa_value_remove_path (ABI 1.0): the Go SDK patches `data` in place with
// them. Objects stay sorted by key, so inserting allocates a one-longer entry table.

import { alloc } from "./heap";
import {
  TAG_ARRAY, TAG_OBJECT, TAG_STRING, tagOf, lengthOf, payloadOf, itemAt, entryKey, entryValue, setEntry,
  compareStrings, newCollection,
} from "./value";

export const ERR_OK = 0;
export const ERR_INVALID_TYPE = 2;
export const ERR_INVALID_PATH = 3;

/** Index of `key` in object `o`, or -(insertion point) - 1. */
function find(o: usize, key: usize): i32 {
  let low: i32 = 0;
  let high: i32 = <i32>lengthOf(o) - 1;
  while (low <= high) {
    const mid = (low + high) >>> 1;
    const order = compareStrings(entryKey(o, mid), key);
    if (order == 0) return mid;
    if (order < 0) low = mid + 1;
    else high = mid - 1;
  }
  return -low - 1;
}

function insert(o: usize, at: u32, key: usize, value: usize): void {
  const n = lengthOf(o);
  const entries = alloc((<usize>n + 1) << 3);
  memory.copy(entries, payloadOf(o), <usize>at << 3);
  memory.copy(entries + ((<usize>at + 1) << 3), payloadOf(o) + (<usize>at << 3), <usize>(n - at) << 3);
  store<u32>(o, n + 1, 4);
  store<u32>(o, <u32>entries, 8);
  setEntry(o, at, key, value);
}

function validPath(path: usize): bool {
  if (path == 0 || tagOf(path) != TAG_ARRAY || lengthOf(path) == 0) return false;
  for (let i: u32 = 0, n = lengthOf(path); i < n; i++) if (tagOf(itemAt(path, i)) != TAG_STRING) return false;
  return true;
}

/** Sets `base.path[0]…path[n-1] = value`, creating objects along the way. */
export function addPath(base: usize, path: usize, value: usize): i32 {
  if (!validPath(path)) return ERR_INVALID_PATH;
  let o = base;
  const last = lengthOf(path) - 1;
  for (let i: u32 = 0; i <= last; i++) {
    if (tagOf(o) != TAG_OBJECT) return ERR_INVALID_TYPE;
    const key = itemAt(path, i);
    const at = find(o, key);
    if (i == last) {
      if (at >= 0) setEntry(o, <u32>at, key, value);
      else insert(o, <u32>(-at - 1), key, value);
    } else if (at >= 0) o = entryValue(o, <u32>at);
    else {
      const child = newCollection(TAG_OBJECT, 0, 8);
      insert(o, <u32>(-at - 1), key, child);
      o = child;
    }
  }
  return ERR_OK;
}

/** Removes `base.path[0]…path[n-1]`; a path that is already absent is not an error. */
export function removePath(base: usize, path: usize): i32 {
  if (!validPath(path)) return ERR_INVALID_PATH;
  let o = base;
  const last = lengthOf(path) - 1;
  for (let i: u32 = 0; i <= last; i++) {
    if (tagOf(o) != TAG_OBJECT) return ERR_INVALID_TYPE;
    const at = find(o, itemAt(path, i));
    if (at < 0) return ERR_OK;
    if (i < last) {
      o = entryValue(o, <u32>at);
      continue;
    }
    const n = lengthOf(o);
    memory.copy(payloadOf(o) + (<usize>at << 3), payloadOf(o) + ((<usize>at + 1) << 3), <usize>(n - 1 - <u32>at) << 3);
    store<u32>(o, n - 1, 4);
  }
  return ERR_OK;
}
