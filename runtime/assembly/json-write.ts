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

let out: usize = 0;

/** Starts a text at the heap top; nothing may allocate until finishText. */
export function beginText(): usize {
  out = getHeapTop();
  return out;
}

/** NUL-terminates the text begun at `start` and moves the heap above it. */
export function finishText(start: usize): usize {
  putByte(0);
  setHeapTop(out);
  return start;
}

function reserve(bytes: usize): void {
  ensureMemory(out + bytes);
}

export function putByte(b: u32): void {
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

/** Writes UTF-8 bytes as a JSON string literal, quotes included. */
export function putQuoted(bytes: usize, length: usize): void {
  putByte(0x22);
  for (let i: usize = 0; i < length; i++) {
    const c = <u32>load<u8>(bytes + i);
    if (c == 0x22 || c == 0x5c) {
      putByte(0x5c);
      putByte(c);
    } else if (c >= 0x20) putByte(c);
    else putControl(c);
  }
  putByte(0x22);
}

function putControl(c: u32): void {
  putByte(0x5c);
  if (c == 0x08) putByte(0x62);
  else if (c == 0x0c) putByte(0x66);
  else if (c == 0x0a) putByte(0x6e);
  else if (c == 0x0d) putByte(0x72);
  else if (c == 0x09) putByte(0x74);
  else {
    putAscii("u00");
    putByte(load<u8>(HEX + (c >> 4)));
    putByte(load<u8>(HEX + (c & 15)));
  }
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
