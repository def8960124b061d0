// Code-point range arithmetic for character classes: normalisation, complement, and the ranges of
// the class escapes, with JavaScript's meaning under the `u` flag (the interpreter runs JS RegExp).

import { MAX_CODE_POINT, type CodePointRange } from "./ast.js";

const DIGIT: CodePointRange[] = [[0x30, 0x39]];
const WORD: CodePointRange[] = [
  [0x30, 0x39],
  [0x41, 0x5a],
  [0x5f, 0x5f],
  [0x61, 0x7a],
];
/** ECMAScript WhiteSpace and LineTerminator (what `\s` matches). */
const SPACE: CodePointRange[] = [
  [0x09, 0x0d],
  [0x20, 0x20],
  [0xa0, 0xa0],
  [0x1680, 0x1680],
  [0x2000, 0x200a],
  [0x2028, 0x2029],
  [0x202f, 0x202f],
  [0x205f, 0x205f],
  [0x3000, 0x3000],
  [0xfeff, 0xfeff],
];

/** Sorted, disjoint, non-adjacent ranges covering the same code points. */
export function normalizeRanges(ranges: readonly CodePointRange[]): CodePointRange[] {
  const sorted = [...ranges].sort((a, b) => a[0] - b[0]);
  const merged: [number, number][] = [];
  for (const [from, to] of sorted) {
    const last = merged[merged.length - 1];
    if (last !== undefined && from <= last[1] + 1) last[1] = Math.max(last[1], to);
    else merged.push([from, to]);
  }
  return merged;
}

/** The complement within [0, MAX_CODE_POINT] of normalised ranges. */
export function negateRanges(ranges: readonly CodePointRange[]): CodePointRange[] {
  const result: CodePointRange[] = [];
  let next = 0;
  for (const [from, to] of ranges) {
    if (from > next) result.push([next, from - 1]);
    next = to + 1;
  }
  if (next <= MAX_CODE_POINT) result.push([next, MAX_CODE_POINT]);
  return result;
}

/** The ranges of `\d \w \s \D \W \S` (given the letter), or null for any other letter. */
export function classEscapeRanges(letter: string): CodePointRange[] | null {
  switch (letter) {
    case "d":
      return DIGIT;
    case "w":
      return WORD;
    case "s":
      return SPACE;
    case "D":
      return negateRanges(DIGIT);
    case "W":
      return negateRanges(WORD);
    case "S":
      return negateRanges(SPACE);
    default:
      return null;
  }
}
