// Writes values as NUL-terminated text at the top of the heap: JSON (opa_json_dump, format 0: sets
// as arrays) or Rego (opa_value_dump, format 1: sets as `{..}` / `set()`). Strings are escaped as
// JSON.stringify escapes them and numbers written as JavaScript writes them, so the host's
// JSON.parse sees exactly the verdict the interpreter builds.

import { ensureMemory, getHeapTop, setHeapTop } from "./heap";
import {
  TAG_NULL, TAG_BOOL, TAG_NUMBER, TAG_STRING, TAG_ARRAY, TAG_OBJECT, TAG_SET,
  tagOf, lengthOf, payloadOf, numberOf, itemAt, entryKey, entryValue,
} from "./value";
import { formatNumber } from "./number";
import { byteClass, BYTE_SPECIAL } from "./json-bytes";

let out: usize = 0;

/** Starts a text at the heap top; nothing may allocate until finishText. */
export function beginText(): usize {
  out = getHeapTop();
  return out;
}

/** Bytes written since beginText returned `start`. */
export function textLength(start: usize): u32 {
  return <u32>(out - start);
}

/** NUL-terminates the text begun at `start` and moves the heap above it. */
export function finishText(start: usize): usize {
  putByte(0);
  setHeapTop(out);
  return start;
}

// @ts-expect-error: a decorator on a function is AssemblyScript, not TypeScript; @inline: a hot helper
@inline function reserve(bytes: usize): void {
  ensureMemory(out + bytes);
}

// @ts-expect-error: a decorator on a function is AssemblyScript, not TypeScript; @inline: a hot helper
@inline export function putByte(b: u32): void {
  reserve(1);
  store<u8>(out++, <u8>b);
}

export function putBytes(bytes: usize, length: usize): void {
  reserve(length);
  memory.copy(out, bytes, length);
  out += length;
}

/** Writes an ASCII string literal of the runtime. */
export function putAscii(text: string): void {
  const length = <usize>text.length;
  reserve(length);
  for (let i: usize = 0; i < length; i++) store<u8>(out + i, <u8>load<u16>(changetype<usize>(text) + (i << 1)));
  out += length;
}

export function putNumber(n: f64): void {
  if (!isFinite(n)) {
    putAscii("null");
    return;
  }
  reserve(32);
  out += formatNumber(out, n);
}

const HEX = memory.data<u8>([0x30, 0x31, 0x32, 0x33, 0x34, 0x35, 0x36, 0x37, 0x38, 0x39, 0x61, 0x62, 0x63, 0x64, 0x65, 0x66]);

/**
 * Writes UTF-8 bytes as a JSON string literal, quotes included. The common string needs no escape
 * and is copied whole; otherwise the escaped length is counted first, so memory is reserved once.
 */
export function putQuoted(bytes: usize, length: usize): void {
  const extra = escapeExtra(bytes, length);
  reserve(length + extra + 2);
  store<u8>(out, 0x22);
  if (extra == 0) memory.copy(out + 1, bytes, length);
  else putEscaped(out + 1, bytes, length);
  out += length + extra + 2;
  store<u8>(out - 1, 0x22);
}

/** Bytes the escapes of `bytes` add: 1 for `\"` `\\` `\n`…, 5 for `\u00XX`. */
function escapeExtra(bytes: usize, length: usize): usize {
  let extra: usize = 0;
  for (let i: usize = 0; i < length; i++) {
    const c = <u32>load<u8>(bytes + i);
    if (byteClass(c) != BYTE_SPECIAL) continue;
    extra += c >= 0x20 || shortEscape(c) != 0 ? 1 : 5;
  }
  return extra;
}

function putEscaped(w: usize, bytes: usize, length: usize): void {
  for (let i: usize = 0; i < length; i++) {
    const c = <u32>load<u8>(bytes + i);
    if (byteClass(c) != BYTE_SPECIAL) {
      store<u8>(w++, <u8>c);
      continue;
    }
    store<u8>(w++, 0x5c);
    const short = c >= 0x20 ? c : shortEscape(c);
    if (short != 0) {
      store<u8>(w++, <u8>short);
      continue;
    }
    store<u32>(w, 0x30303075); // "u00"
    store<u8>(w + 3, load<u8>(HEX + (c >> 4)));
    store<u8>(w + 4, load<u8>(HEX + (c & 15)));
    w += 5;
  }
}

/** The letter of a control character's two-character escape (`\b` `\f` `\n` `\r` `\t`), or 0. */
function shortEscape(c: u32): u32 {
  if (c == 0x08) return 0x62;
  if (c == 0x0c) return 0x66;
  if (c == 0x0a) return 0x6e;
  if (c == 0x0d) return 0x72;
  if (c == 0x09) return 0x74;
  return 0;
}

/** Writes `v` (non-zero); `rego` selects Rego syntax for sets. */
export function putValue(v: usize, rego: bool): void {
  const tag = tagOf(v);
  if (tag == TAG_NULL) putAscii("null");
  else if (tag == TAG_BOOL) putAscii(payloadOf(v) != 0 ? "true" : "false");
  else if (tag == TAG_NUMBER) putNumber(numberOf(v));
  else if (tag == TAG_STRING) putQuoted(payloadOf(v), lengthOf(v));
  else if (tag == TAG_OBJECT) putObject(v, rego);
  else if (tag == TAG_SET && rego) putSet(v);
  else if (tag == TAG_ARRAY || tag == TAG_SET) putItems(v, 0x5b, 0x5d, rego);
}

function putItems(v: usize, open: u32, close: u32, rego: bool): void {
  putByte(open);
  for (let i: u32 = 0, n = lengthOf(v); i < n; i++) {
    if (i > 0) putByte(0x2c);
    putValue(itemAt(v, i), rego);
  }
  putByte(close);
}

function putSet(v: usize): void {
  if (lengthOf(v) == 0) putAscii("set()");
  else putItems(v, 0x7b, 0x7d, true);
}

function putObject(v: usize, rego: bool): void {
  putByte(0x7b);
  for (let i: u32 = 0, n = lengthOf(v); i < n; i++) {
    if (i > 0) putByte(0x2c);
    putValue(entryKey(v, i), rego);
    putByte(0x3a);
    putValue(entryValue(v, i), rego);
  }
  putByte(0x7d);
}

/** Dumps `v` as a NUL-terminated text; returns its address. */
export function dump(v: usize, rego: bool): usize {
  const start = beginText();
  if (v == 0) putAscii(rego ? "undefined" : "null");
  else putValue(v, rego);
  return finishText(start);
}
