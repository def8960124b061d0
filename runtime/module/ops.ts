// Operations the generated code calls on values: structural equality and membership (driven by
// the same type tables as validation), string tests, case mapping, trimming, counting, regex search.

import { alloc, getHeapTop, setHeapTop } from "./heap";
import {
  TAG_NULL, TAG_BOOL, TAG_NUMBER, TAG_STRING,
  tagOf, lengthOf, payloadOf, numberOf, itemAt, lookup, compareStrings, newString,
} from "./value";
import {
  KIND_SET, KIND_LIST, KIND_RECORD, TYPE_ELEMENT, TYPE_FIELD_COUNT, TYPE_FIELDS, FIELD_SIZE, FIELD_NAME, FIELD_NAME_LENGTH,
  FIELD_TYPE,
} from "./type-table";
import {
  DFA_STATE_COUNT, DFA_CLASS_COUNT, DFA_START, DFA_BYTE_CLASSES, DFA_TRANSITIONS, DFA_MATCHED_STATE,
} from "./generated/abi";
import { ENTRY_SIZE, isAbsent, allocEntries, putSortedItems, sortedItems, entryHash, entryItem, swapEntries, mergeByHash } from "./hash";
import { putUtf8 } from "./json-read";
import { bsearch, SPECIALS_UPPER } from "util/casemap";
import { baseCase } from "./case-base";
import { isCased, isCaseIgnorable, addedMapping } from "./unicode-lookup";

/** Structural equality of two values of type table `type`: sets as sets, lists element-wise, records field-wise. */
export function equalValues(a: usize, b: usize, type: usize): bool {
  const kind = load<u32>(type);
  if (kind == KIND_SET) return equalSets(a, b, <usize>load<u32>(type, TYPE_ELEMENT));
  if (kind == KIND_LIST) return equalLists(a, b, <usize>load<u32>(type, TYPE_ELEMENT));
  if (kind == KIND_RECORD) return equalRecords(a, b, type);
  const tag = tagOf(a);
  if (tag != tagOf(b)) return false;
  if (tag == TAG_STRING) return compareStrings(a, b) == 0;
  if (tag == TAG_NUMBER) return numberOf(a) == numberOf(b);
  if (tag == TAG_BOOL) return payloadOf(a) == payloadOf(b);
  return tag == TAG_NULL;
}

function equalLists(a: usize, b: usize, element: usize): bool {
  const n = lengthOf(a);
  if (n != lengthOf(b)) return false;
  for (let i: u32 = 0; i < n; i++) if (!equalValues(itemAt(a, i), itemAt(b, i), element)) return false;
  return true;
}

/**
 * Sets up to this size are deduplicated and compared pair by pair: cheaper than hashing and
 * sorting them, and the pairs stay few.
 */
const SMALL_SET: u32 = 16;

/**
 * Set equality (order and repetition do not matter): the sets are equal exactly when each has as
 * many distinct elements as both together. (An element containing NaN equals nothing, itself
 * included: it counts once in its own set and once more in the union, so it makes sets unequal,
 * as it does for the interpreter.)
 */
function equalSets(a: usize, b: usize, element: usize): bool {
  const n = lengthOf(a);
  const m = lengthOf(b);
  if (n <= SMALL_SET && m <= SMALL_SET) return containsAll(a, b, element) && containsAll(b, a, element);
  const mark = getHeapTop();
  // a's entries, then b's, then scratch space for as many, where the union is merged.
  const entries = allocEntries(n + m);
  const scratch = entries + <usize>(n + m) * ENTRY_SIZE;
  putSortedItems(a, element, entries, 0, scratch);
  putSortedItems(b, element, entries, n, scratch);
  const distinct = distinctRuns(entries, 0, n, element);
  let equal = distinct == distinctRuns(entries, n, n + m, element);
  if (equal) {
    mergeByHash(entries, scratch, 0, n, n + m);
    equal = distinctRuns(scratch, 0, n + m, element) == distinct;
  }
  setHeapTop(mark);
  return equal;
}

function containsAll(a: usize, b: usize, element: usize): bool {
  for (let i: u32 = 0, n = lengthOf(a); i < n; i++) if (!member(itemAt(a, i), b, element)) return false;
  return true;
}

function equalRecords(a: usize, b: usize, record: usize): bool {
  const fields = <usize>load<u32>(record, TYPE_FIELDS);
  for (let i: u32 = 0, n = load<u32>(record, TYPE_FIELD_COUNT); i < n; i++) {
    const field = fields + <usize>i * FIELD_SIZE;
    const x = lookup(a, <usize>load<u32>(field, FIELD_NAME), load<u32>(field, FIELD_NAME_LENGTH));
    const y = lookup(b, <usize>load<u32>(field, FIELD_NAME), load<u32>(field, FIELD_NAME_LENGTH));
    if (isAbsent(x) || isAbsent(y)) {
      if (isAbsent(x) != isAbsent(y)) return false;
    } else if (!equalValues(x, y, <usize>load<u32>(field, FIELD_TYPE))) return false;
  }
  return true;
}

/** True when `element` equals an item of `collection`, compared as type table `element type`. */
export function member(element: usize, collection: usize, elementType: usize): bool {
  for (let i: u32 = 0, n = lengthOf(collection); i < n; i++) if (equalValues(element, itemAt(collection, i), elementType)) return true;
  return false;
}

/** Distinct elements of a set (`count`); JSON arrays given for sets may repeat elements. */
export function countDistinct(set: usize, elementType: usize): f64 {
  const n = lengthOf(set);
  if (n > SMALL_SET) {
    const mark = getHeapTop();
    const distinct = distinctRuns(sortedItems(set, elementType), 0, n, elementType);
    setHeapTop(mark);
    return distinct;
  }
  let distinct: u32 = 0;
  for (let i: u32 = 0; i < n; i++) {
    let seen: bool = false;
    for (let j: u32 = 0; j < i && !seen; j++) seen = equalValues(itemAt(set, i), itemAt(set, j), elementType);
    if (!seen) distinct++;
  }
  return distinct;
}

/**
 * Distinct items among the hash-sorted entries `[low, high)`: equal items share a hash, so each item
 * is compared only with the distinct items of its run of equal hashes, which it moves to the
 * run's front.
 */
function distinctRuns(entries: usize, low: u32, high: u32, element: usize): u32 {
  let distinct: u32 = 0;
  for (let start = low; start < high; ) {
    const h = entryHash(entries, start);
    let found: u32 = 1;
    let i = start + 1;
    for (; i < high && entryHash(entries, i) == h; i++) {
      if (!equalsAny(entries, start, start + found, entryItem(entries, i), element)) swapEntries(entries, start + found++, i);
    }
    distinct += found;
    start = i;
  }
  return distinct;
}

function equalsAny(entries: usize, low: u32, high: u32, item: usize, element: usize): bool {
  for (let j = low; j < high; j++) if (equalValues(entryItem(entries, j), item, element)) return true;
  return false;
}

export function countCodePoints(s: usize): f64 {
  const bytes = payloadOf(s);
  let count: u32 = 0;
  for (let i: u32 = 0, n = lengthOf(s); i < n; i++) if ((load<u8>(bytes + i) & 0xc0) != 0x80) count++;
  return count;
}

function bytesAt(haystack: usize, at: u32, needle: usize): bool {
  return memory.compare(payloadOf(haystack) + at, payloadOf(needle), lengthOf(needle)) == 0;
}

/** Substring test on UTF-8 bytes (a match of whole UTF-8 sequences is a code point match). */
export function containsString(s: usize, sub: usize): bool {
  const n = lengthOf(s);
  const m = lengthOf(sub);
  if (m > n) return false;
  for (let i: u32 = 0; i <= n - m; i++) if (bytesAt(s, i, sub)) return true;
  return false;
}

export function startsWith(s: usize, prefix: usize): bool {
  return lengthOf(prefix) <= lengthOf(s) && bytesAt(s, 0, prefix);
}

export function endsWith(s: usize, suffix: usize): bool {
  return lengthOf(suffix) <= lengthOf(s) && bytesAt(s, lengthOf(s) - lengthOf(suffix), suffix);
}

/**
 * `lower`/`upper` exactly as JavaScript's `toLowerCase`/`toUpperCase` (full, locale-independent
 * Unicode case mapping), mirroring AssemblyScript's `String#toLowerCase`/`toUpperCase` on UTF-8:
 * the length-changing special cases (`ß` → `SS`, `ﬃ` → `FFI`, `İ` → `i̇`) and the contextual final
 * sigma (`Σ` → `ς` at the end of a word; unlike AssemblyScript, with no lookaround limit).
 * AssemblyScript's tables predate the Unicode of the JavaScript the interpreter runs on, so the
 * generated tables of unicode-case.ts (searched by unicode-lookup.ts) add the newer mappings and
 * the current Cased/Case_Ignorable properties.
 */
export function changeCase(s: usize, upper: bool): usize {
  const n = lengthOf(s);
  const from = payloadOf(s);
  // One code point maps to at most three, growing its UTF-8 at most 3× (e.g. `ΐ` → `Ϊ́`).
  const out = alloc(<usize>n * 3 + 4);
  let w = out;
  let r: u32 = 0;
  while (r < n) {
    const cp = decodeAt(from, r);
    const at = r;
    r += utf8Size(load<u8>(from + r));
    if (upper) w = putUpper(w, cp);
    else if (cp == 0x0130) {
      // `İ` → `i̇` (SpecialCasing.txt's only unconditional lower-case expansion).
      store<u8>(w, 0x69);
      w = putUtf8(w + 1, 0x0307);
    } else if (cp == 0x03a3) {
      w = putUtf8(w, isFinalSigma(from, at, r, n) ? 0x03c2 : 0x03c3);
    } else w = putUtf8(w, mapCase(cp, false));
  }
  // The buffer was the last allocation: give back what the mapping did not use.
  setHeapTop(w);
  return newString(out, <u32>(w - out));
}

function utf8Size(lead: u8): u32 {
  return lead < 0x80 ? 1 : lead < 0xe0 ? 2 : lead < 0xf0 ? 3 : 4;
}

/** The code point whose UTF-8 starts at byte `r`. */
function decodeAt(from: usize, r: u32): u32 {
  const lead = <u32>load<u8>(from + r);
  const size = utf8Size(<u8>lead);
  let cp = size == 1 ? lead : lead & (0x7f >> size);
  for (let k: u32 = 1; k < size; k++) cp = (cp << 6) | (<u32>load<u8>(from + r + k) & 0x3f);
  return cp;
}

function putUpper(w: usize, cp: u32): usize {
  // SPECIALS_UPPER rows: code point, then up to three code points (0 = none), sorted.
  if (cp - 0x00df <= 0xfb17 - 0x00df) {
    const specials = changetype<usize>(SPECIALS_UPPER);
    const index = bsearch(cp, specials, SPECIALS_UPPER.length);
    if (index >= 0) {
      const row = specials + (<usize>index << 1);
      w = putUtf8(w, <u32>load<u16>(row, 2));
      w = putUtf8(w, <u32>load<u16>(row, 4));
      const third = <u32>load<u16>(row, 6);
      return third != 0 ? putUtf8(w, third) : w;
    }
  }
  return putUtf8(w, mapCase(cp, true));
}

/**
 * Unicode's Final_Sigma condition for the `Σ` at bytes `[at, next)`: preceded by a cased letter and
 * not followed by one, skipping case-ignorable code points both ways.
 */
function isFinalSigma(from: usize, at: u32, next: u32, n: u32): bool {
  let found = false;
  let pos = at;
  while (pos > 0) {
    let start = pos - 1;
    while (start > 0 && (load<u8>(from + start) & 0xc0) == 0x80) start--;
    const c = decodeAt(from, start);
    pos = start;
    if (isCaseIgnorable(c)) continue;
    if (!isCased(c)) return false;
    found = true;
    break;
  }
  if (!found) return false;
  pos = next;
  while (pos < n) {
    const c = decodeAt(from, pos);
    pos += utf8Size(load<u8>(from + pos));
    if (!isCaseIgnorable(c)) return !isCased(c);
  }
  return true;
}

/** AssemblyScript's mapping with the newer ones of this Node's Unicode (which never touch ASCII). */
function mapCase(cp: u32, upper: bool): u32 {
  if (cp >= 0x80) {
    const added = addedMapping(cp, upper);
    if (added != cp) return added;
  }
  return baseCase(cp, upper);
}

/**
 * `trim` exactly as JavaScript's `String.prototype.trim`: strips the leading and trailing code
 * points that are WhiteSpace or LineTerminator (isTrimmed). The result shares the argument's bytes.
 */
export function trim(s: usize): usize {
  const bytes = payloadOf(s);
  const n = lengthOf(s);
  let start: u32 = 0;
  while (start < n && isTrimmed(decodeAt(bytes, start))) start += utf8Size(load<u8>(bytes + start));
  let end = n;
  while (end > start) {
    let lead = end - 1;
    while (lead > start && (load<u8>(bytes + lead) & 0xc0) == 0x80) lead--;
    if (!isTrimmed(decodeAt(bytes, lead))) break;
    end = lead;
  }
  return start == 0 && end == n ? s : newString(bytes + start, end - start);
}

/**
 * ECMAScript's WhiteSpace and LineTerminator: TAB, LF, VT, FF, CR, SPACE, NBSP, ZWNBSP (U+FEFF),
 * LS, PS and the other Space_Separator (Zs) code points. test/wasm/trim.test.ts checks every code
 * point against the Node it runs on, so a new Zs in a newer Unicode shows up there.
 */
function isTrimmed(cp: u32): bool {
  if (cp <= 0x20) return cp == 0x20 || (cp >= 0x09 && cp <= 0x0d);
  if (cp < 0xa0) return false;
  if (cp >= 0x2000 && cp <= 0x200a) return true;
  return cp == 0xa0 || cp == 0x1680 || cp == 0x2028 || cp == 0x2029 || cp == 0x202f || cp == 0x205f
    || cp == 0x3000 || cp == 0xfeff;
}

/**
 * Unanchored search with the DFAs packed by compiler/regex/automaton.ts `encodeAutomaton`: u32
 * count, then each DFA 4-aligned. The pattern matches where any DFA does (each pass is linear).
 */
export function dfaSearch(automaton: usize, s: usize): bool {
  let table = automaton + 4;
  for (let i: u32 = 0, count = load<u32>(automaton); i < count; i++) {
    if (searchOneDfa(table, s)) return true;
    const stateCount = <usize>load<u16>(table, DFA_STATE_COUNT);
    table += (DFA_TRANSITIONS + ((stateCount * <usize>load<u16>(table, DFA_CLASS_COUNT)) << 1) + stateCount + 3) & ~(<usize>3);
  }
  return false;
}

/** One DFA packed by `encodeDfa` (layout: contract/abi/layout.ts `DFA_*`). */
function searchOneDfa(table: usize, s: usize): bool {
  const stateCount = <u32>load<u16>(table, DFA_STATE_COUNT);
  const classCount = <u32>load<u16>(table, DFA_CLASS_COUNT);
  let state = <u32>load<u16>(table, DFA_START);
  const transitions = table + DFA_TRANSITIONS;
  const bytes = payloadOf(s);
  // States up to DFA_MATCHED_STATE are the sinks: the answer is known.
  for (let i: u32 = 0, n = lengthOf(s); i < n && state > DFA_MATCHED_STATE; i++) {
    const byteClass = <u32>load<u8>(table + DFA_BYTE_CLASSES + <usize>load<u8>(bytes + i));
    state = <u32>load<u16>(transitions + ((<usize>state * classCount + byteClass) << 1));
  }
  if (state <= DFA_MATCHED_STATE) return state == DFA_MATCHED_STATE;
  return load<u8>(transitions + ((<usize>stateCount * classCount) << 1) + state) == 1;
}
