// The regex AST shared by the checker (validation), the interpreter (which still runs JavaScript's
// RegExp with the `u` flag) and the WASM backend (which compiles it to an automaton). A small closed
// union over code points: classes are already resolved to sorted, disjoint ranges.

/** An inclusive code-point range `[from, to]`. */
export type CodePointRange = readonly [from: number, to: number];

export type RegexNode =
  /** One code point out of a set: a literal (`a` = [[97, 97]]), an escape like `\d`, or a class. */
  | { kind: "chars"; ranges: CodePointRange[] }
  /** `.`: any code point except `\n` `\r` `\u2028` `\u2029` (JavaScript without the `s` flag). */
  | { kind: "any" }
  /** Items in sequence; an empty concat matches the empty string. */
  | { kind: "concat"; items: RegexNode[] }
  | { kind: "alternation"; options: RegexNode[] }
  /** `max: null` is unbounded. `lazy` does not change what matches, only which match a search reports. */
  | { kind: "repeat"; node: RegexNode; min: number; max: number | null; lazy: boolean }
  | { kind: "group"; node: RegexNode; capturing: boolean }
  /** `^` and `$` anchor at the start and end of the whole input (no multiline mode). */
  | { kind: "anchor"; at: "start" | "end" };

export const MAX_CODE_POINT = 0x10ffff;
/** The largest repeat bound accepted (RE2's limit). */
export const MAX_REPEAT = 1000;
