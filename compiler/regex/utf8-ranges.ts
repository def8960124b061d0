// Code-point ranges → sequences of byte ranges matching their UTF-8 encodings (the algorithm of RE2
// and Rust's regex-syntax `Utf8Sequences`). Surrogates U+D800–U+DFFF are encoded like any other
// three-byte code point (WTF-8), so a lone surrogate in a JavaScript string is still one code point.

import type { CodePointRange } from "./ast.js";

/** One byte position of a sequence: inclusive `[lo, hi]`. */
export type ByteRange = readonly [lo: number, hi: number];

/** The largest code point of each UTF-8 encoded length (1 to 4 bytes). */
const LENGTH_LIMITS = [0x7f, 0x7ff, 0xffff, 0x10ffff] as const;

export function encodeUtf8(codePoint: number): number[] {
  if (codePoint <= 0x7f) return [codePoint];
  if (codePoint <= 0x7ff) return [0xc0 | (codePoint >> 6), 0x80 | (codePoint & 0x3f)];
  if (codePoint <= 0xffff)
    return [0xe0 | (codePoint >> 12), 0x80 | ((codePoint >> 6) & 0x3f), 0x80 | (codePoint & 0x3f)];
  return [
    0xf0 | (codePoint >> 18),
    0x80 | ((codePoint >> 12) & 0x3f),
    0x80 | ((codePoint >> 6) & 0x3f),
    0x80 | (codePoint & 0x3f),
  ];
}

/** Byte-range sequences whose union matches exactly the UTF-8 encodings of `[from, to]`. */
export function utf8Sequences([from, to]: CodePointRange): ByteRange[][] {
  const sequences: ByteRange[][] = [];
  let lower = 0;
  for (const limit of LENGTH_LIMITS) {
    const lo = Math.max(from, lower);
    const hi = Math.min(to, limit);
    if (lo <= hi) splitSameLength(lo, hi, sequences);
    lower = limit + 1;
  }
  return sequences;
}

/** Splits a range whose ends have the same encoded length until every byte position varies independently. */
function splitSameLength(lo: number, hi: number, out: ByteRange[][]): void {
  const length = encodeUtf8(lo).length;
  for (let i = 1; i < length; i++) {
    const mask = (1 << (6 * i)) - 1;
    if ((lo & ~mask) === (hi & ~mask)) continue;
    if ((lo & mask) !== 0) {
      splitSameLength(lo, lo | mask, out);
      splitSameLength((lo | mask) + 1, hi, out);
      return;
    }
    if ((hi & mask) !== mask) {
      splitSameLength(lo, (hi & ~mask) - 1, out);
      splitSameLength(hi & ~mask, hi, out);
      return;
    }
  }
  const loBytes = encodeUtf8(lo);
  const hiBytes = encodeUtf8(hi);
  out.push(loBytes.map((b, i) => [b, hiBytes[i]!] as const));
}
