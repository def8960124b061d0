// A strict JSON reader (RFC 8259) over UTF-8 bytes. Anything it does not accept is an error, never a
// guess: invalid UTF-8, lone surrogate escapes, nesting deeper than MAX_DEPTH, duplicate object keys,
// trailing bytes. Numbers outside the f64 range become ±Infinity; the schema check reports them
// as "number out of range", exactly as the JavaScript validator does for JSON.parse's Infinity.
// With `regoSets`, it also reads Rego set literals (`{1, 2}`, `set()`) for opa_value_parse.

import { alloc } from "./heap";
import {
  NULL_VALUE, TRUE_VALUE, FALSE_VALUE, TAG_ARRAY, TAG_OBJECT, TAG_SET,
  newCollection, newNumber, newString, setItem, setEntry, entryKey, compareStrings,
} from "./value";
import { parseNumber } from "./number";
import { sortEntries } from "./sort";
import { byteClass, BYTE_PLAIN } from "./json-bytes";

export const MAX_DEPTH: i32 = 1000;

let pos: usize = 0;
let end: usize = 0;
let depth: i32 = 0;
let regoSets: bool = false;
/** Why the last read failed (a static string), or null. */
let problem: string | null = null;

export function readError(): string {
  return problem !== null ? <string>problem : "";
}

/** Parses the `length` bytes at `text`; returns a value address, or 0 with readError() set. */
export function readJson(text: usize, length: u32, allowSets: bool): usize {
  pos = text;
  end = text + length;
  depth = 0;
  regoSets = allowSets;
  problem = null;
  skipSpace();
  const v = readValue();
  if (v == 0) return 0;
  skipSpace();
  if (pos != end) return reject("unexpected data after the JSON value");
  return v;
}

function reject(reason: string): usize {
  if (problem === null) problem = reason;
  return 0;
}

function skipSpace(): void {
  while (pos < end) {
    const c = load<u8>(pos);
    if (c != 0x20 && c != 0x09 && c != 0x0a && c != 0x0d) return;
    pos++;
  }
}

function peek(): i32 {
  return pos < end ? <i32>load<u8>(pos) : -1;
}

function expectWord(word: string, value: usize): usize {
  const length = <usize>word.length;
  if (end - pos < length) return reject("unexpected end of input");
  for (let i: usize = 0; i < length; i++) {
    if (<u32>load<u8>(pos + i) != <u32>load<u16>(changetype<usize>(word) + (i << 1))) return reject("unexpected character");
  }
  pos += length;
  return value;
}

function readValue(): usize {
  const c = peek();
  if (c < 0) return reject("unexpected end of input");
  if (c == 0x7b) return readBraces();
  if (c == 0x5b) return readArray();
  if (c == 0x22) return readString();
  if (c == 0x74) return expectWord("true", TRUE_VALUE);
  if (c == 0x66) return expectWord("false", FALSE_VALUE);
  if (c == 0x6e) return expectWord("null", NULL_VALUE);
  if (c == 0x73 && regoSets) return expectWord("set()", newCollection(TAG_SET, 0, 4));
  if (c == 0x2d || (c >= 0x30 && c <= 0x39)) return readNumber();
  return reject("unexpected character");
}

function enter(): bool {
  if (++depth > MAX_DEPTH) {
    reject("nesting deeper than 1000 levels");
    return false;
  }
  pos++;
  skipSpace();
  return true;
}

// Collections are read into a linked list of (item, next) cells, then copied into their final
// array: the reader does not know the length up front and the heap only grows.
function readArray(): usize {
  if (!enter()) return 0;
  let first: usize = 0;
  let last: usize = 0;
  let count: u32 = 0;
  if (peek() != 0x5d) {
    while (true) {
      const item = readValue();
      if (item == 0) return 0;
      const cell = pushCell(last, item, 0);
      if (first == 0) first = cell;
      last = cell;
      count++;
      skipSpace();
      if (peek() == 0x2c) {
        pos++;
        skipSpace();
        continue;
      }
      if (peek() == 0x5d) break;
      return reject("expected `,` or `]`");
    }
  }
  pos++;
  depth--;
  const array = newCollection(TAG_ARRAY, count, 4);
  for (let i: u32 = 0, cell = first; i < count; i++, cell = load<u32>(cell, 8)) setItem(array, i, load<u32>(cell));
  return array;
}

/** `{` opens an object, or a set when Rego sets are allowed and the first member has no `:`. */
function readBraces(): usize {
  if (!enter()) return 0;
  if (peek() == 0x7d) return closeBraces(0, 0, false);
  const firstKey = regoSets ? readValue() : readKey();
  if (firstKey == 0) return 0;
  skipSpace();
  const isSet = peek() != 0x3a;
  if (isSet && !regoSets) return reject("expected `:`");
  let first: usize = 0;
  let last: usize = 0;
  let count: u32 = 0;
  let key = firstKey;
  while (true) {
    let value: usize = 0;
    if (!isSet) {
      if (load<u32>(key) != 4) return reject("object keys must be strings");
      if (peek() != 0x3a) return reject("expected `:`");
      pos++;
      skipSpace();
      value = readValue();
      if (value == 0) return 0;
      skipSpace();
    }
    last = pushCell(last, key, value);
    if (first == 0) first = last;
    count++;
    if (peek() == 0x7d) return closeBraces(first, count, isSet);
    if (peek() != 0x2c) return reject("expected `,` or `}`");
    pos++;
    skipSpace();
    key = isSet ? readValue() : readKey();
    if (key == 0) return 0;
    skipSpace();
  }
}

function closeBraces(first: usize, count: u32, isSet: bool): usize {
  pos++;
  depth--;
  return isSet ? collectSet(first, count) : collectObject(first, count);
}

function readKey(): usize {
  if (peek() != 0x22) return reject("expected a string key");
  return readString();
}

function pushCell(last: usize, a: usize, b: usize): usize {
  const cell = alloc(12);
  store<u32>(cell, <u32>a);
  store<u32>(cell, <u32>b, 4);
  store<u32>(cell, 0, 8);
  if (last != 0) store<u32>(last, <u32>cell, 8);
  return cell;
}

function collectSet(first: usize, count: u32): usize {
  const set = newCollection(TAG_SET, count, 4);
  for (let i: u32 = 0, cell = first; i < count; i++, cell = load<u32>(cell, 8)) setItem(set, i, load<u32>(cell));
  return set;
}

function collectObject(first: usize, count: u32): usize {
  const object = newCollection(TAG_OBJECT, count, 8);
  for (let i: u32 = 0, cell = first; i < count; i++, cell = load<u32>(cell, 8)) setEntry(object, i, load<u32>(cell), load<u32>(cell, 4));
  sortEntries(object);
  for (let i: u32 = 1; i < count; i++) {
    if (compareStrings(entryKey(object, i - 1), entryKey(object, i)) == 0) return reject("duplicate object key");
  }
  return object;
}

function readNumber(): usize {
  const start = pos;
  if (peek() == 0x2d) pos++;
  if (peek() == 0x30) pos++;
  else if (!skipDigits()) return reject("malformed number");
  if (peek() == 0x2e) {
    pos++;
    if (!skipDigits()) return reject("malformed number");
  }
  if (peek() == 0x65 || peek() == 0x45) {
    pos++;
    if (peek() == 0x2b || peek() == 0x2d) pos++;
    if (!skipDigits()) return reject("malformed number");
  }
  return newNumber(parseNumber(start, pos));
}

function skipDigits(): bool {
  const start = pos;
  while (pos < end && <u32>load<u8>(pos) - 0x30 < 10) pos++;
  return pos > start;
}

function readString(): usize {
  pos++;
  const start = pos;
  let escaped = false;
  while (true) {
    while (pos < end && byteClass(load<u8>(pos)) == BYTE_PLAIN) pos++;
    if (pos >= end) return reject("unterminated string");
    const c = <u32>load<u8>(pos);
    if (c == 0x22) break;
    if (c < 0x20) return reject("control character in string");
    if (c == 0x5c) {
      escaped = true;
      pos += 2;
    } else if (!skipUtf8Sequence(c)) return reject("invalid UTF-8");
  }
  if (pos > end) return reject("unterminated string");
  const length = <u32>(pos - start);
  pos++;
  return escaped ? unescape(start, length) : newString(start, length);
}

/** Validates one multi-byte UTF-8 sequence starting with `lead` at `pos` and skips it. */
function skipUtf8Sequence(lead: u32): bool {
  let count: usize;
  let minimum: u32;
  let cp: u32;
  if (lead >= 0xc2 && lead <= 0xdf) {
    count = 1; minimum = 0x80; cp = lead & 0x1f;
  } else if (lead >= 0xe0 && lead <= 0xef) {
    count = 2; minimum = 0x800; cp = lead & 0x0f;
  } else if (lead >= 0xf0 && lead <= 0xf4) {
    count = 3; minimum = 0x10000; cp = lead & 0x07;
  } else return false;
  if (end - pos <= count) return false;
  for (let i: usize = 1; i <= count; i++) {
    const b = <u32>load<u8>(pos + i);
    if ((b & 0xc0) != 0x80) return false;
    cp = (cp << 6) | (b & 0x3f);
  }
  if (cp < minimum || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return false;
  pos += count + 1;
  return true;
}

/** Decodes the escapes of an already validated string body into fresh bytes. */
function unescape(start: usize, length: u32): usize {
  const out = alloc(length);
  let w = out;
  let r = start;
  const stop = start + length;
  while (r < stop) {
    const c = load<u8>(r);
    if (c != 0x5c) {
      store<u8>(w++, c);
      r++;
      continue;
    }
    const e = load<u8>(r + 1);
    r += 2;
    if (e == 0x75) {
      let cp = hex4(r, stop);
      if (cp < 0) return reject("malformed \\u escape");
      r += 4;
      if (cp >= 0xd800 && cp <= 0xdbff) {
        const low = r + 6 <= stop && load<u8>(r) == 0x5c && load<u8>(r + 1) == 0x75 ? hex4(r + 2, stop) : -1;
        if (low < 0xdc00 || low > 0xdfff) return reject("unpaired surrogate escape");
        cp = 0x10000 + ((cp - 0xd800) << 10) + (low - 0xdc00);
        r += 6;
      } else if (cp >= 0xdc00 && cp <= 0xdfff) return reject("unpaired surrogate escape");
      w = putUtf8(w, <u32>cp);
    } else {
      const decoded = simpleEscape(e);
      if (decoded < 0) return reject("unknown escape");
      store<u8>(w++, <u8>decoded);
    }
  }
  return newString(out, <u32>(w - out));
}

function simpleEscape(e: u32): i32 {
  if (e == 0x22 || e == 0x5c || e == 0x2f) return e;
  if (e == 0x62) return 0x08;
  if (e == 0x66) return 0x0c;
  if (e == 0x6e) return 0x0a;
  if (e == 0x72) return 0x0d;
  if (e == 0x74) return 0x09;
  return -1;
}

function hex4(at: usize, stop: usize): i32 {
  if (at + 4 > stop) return -1;
  let v: i32 = 0;
  for (let i: usize = 0; i < 4; i++) {
    const c = <i32>load<u8>(at + i);
    let d: i32;
    if (c >= 0x30 && c <= 0x39) d = c - 0x30;
    else if (c >= 0x61 && c <= 0x66) d = c - 0x57;
    else if (c >= 0x41 && c <= 0x46) d = c - 0x37;
    else return -1;
    v = (v << 4) | d;
  }
  return v;
}

/** Writes code point `cp` as UTF-8 at `w`; returns the address after it. */
export function putUtf8(w: usize, cp: u32): usize {
  if (cp < 0x80) {
    store<u8>(w, <u8>cp);
    return w + 1;
  }
  if (cp < 0x800) {
    store<u8>(w, <u8>(0xc0 | (cp >> 6)));
    store<u8>(w + 1, <u8>(0x80 | (cp & 0x3f)));
    return w + 2;
  }
  if (cp < 0x10000) {
    store<u8>(w, <u8>(0xe0 | (cp >> 12)));
    store<u8>(w + 1, <u8>(0x80 | ((cp >> 6) & 0x3f)));
    store<u8>(w + 2, <u8>(0x80 | (cp & 0x3f)));
    return w + 3;
  }
  store<u8>(w, <u8>(0xf0 | (cp >> 18)));
  store<u8>(w + 1, <u8>(0x80 | ((cp >> 12) & 0x3f)));
  store<u8>(w + 2, <u8>(0x80 | ((cp >> 6) & 0x3f)));
  store<u8>(w + 3, <u8>(0x80 | (cp & 0x3f)));
  return w + 4;
}
