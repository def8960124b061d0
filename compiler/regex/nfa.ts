// Thompson construction: the regex AST (code points) → an NFA over UTF-8 bytes. The automaton stage
// (./automaton.ts) turns it into a DFA by subset construction.

import type { CodePointRange, RegexNode } from "./ast.js";
import { utf8Sequences } from "./utf8-ranges.js";

export type NfaState =
  /** Consumes one byte in `[lo, hi]`. */
  | { kind: "byte"; lo: number; hi: number; next: number }
  /** Epsilon edges to every state of `next`. */
  | { kind: "split"; next: number[] }
  /** Passable only at the start (`^`) or end (`$`) of the input. */
  | { kind: "assert"; at: "start" | "end"; next: number }
  | { kind: "accept" };

export interface Nfa {
  states: NfaState[];
  start: number;
}

/** Thrown when a pattern needs more NFA states than `limit` (huge nested repeats). */
export class AutomatonLimitError extends Error {}

/** `.`: every code point but `\n`, `\r`, U+2028 and U+2029. */
const ANY_RANGES: CodePointRange[] = [
  [0x00, 0x09],
  [0x0b, 0x0c],
  [0x0e, 0x2027],
  [0x202a, 0x10ffff],
];

export function buildNfa(node: RegexNode, limit: number): Nfa {
  const builder = new NfaBuilder(limit);
  const accept = builder.add({ kind: "accept" });
  const start = builder.compile(node, accept);
  return { states: builder.states, start };
}

class NfaBuilder {
  readonly states: NfaState[] = [];

  constructor(private readonly limit: number) {}

  add(state: NfaState): number {
    if (this.states.length >= this.limit) throw new AutomatonLimitError(`more than ${this.limit} automaton states`);
    this.states.push(state);
    return this.states.length - 1;
  }

  /** Builds `node` backwards: returns the entry state of a fragment that continues at `out`. */
  compile(node: RegexNode, out: number): number {
    switch (node.kind) {
      case "chars":
        return this.compileRanges(node.ranges, out);
      case "any":
        return this.compileRanges(ANY_RANGES, out);
      case "concat":
        return node.items.reduceRight((next, item) => this.compile(item, next), out);
      case "alternation":
        return this.add({ kind: "split", next: node.options.map((option) => this.compile(option, out)) });
      case "group":
        return this.compile(node.node, out);
      case "anchor":
        return this.add({ kind: "assert", at: node.at, next: out });
      case "repeat":
        return this.compileRepeat(node.node, node.min, node.max, out);
    }
  }

  /** One code point out of `ranges`: an alternation of UTF-8 byte sequences. */
  private compileRanges(ranges: readonly CodePointRange[], out: number): number {
    const entries = ranges.flatMap((range) =>
      utf8Sequences(range).map((sequence) =>
        sequence.reduceRight((next, [lo, hi]) => this.add({ kind: "byte", lo, hi, next }), out),
      ),
    );
    return entries.length === 1 ? entries[0]! : this.add({ kind: "split", next: entries });
  }

  /** `min` copies, then either a loop (`max` null) or `max - min` nested optional copies. */
  private compileRepeat(node: RegexNode, min: number, max: number | null, out: number): number {
    let tail = out;
    if (max === null) {
      const loop = this.add({ kind: "split", next: [] });
      (this.states[loop] as { next: number[] }).next = [this.compile(node, loop), out];
      tail = loop;
    } else {
      for (let i = min; i < max; i++) tail = this.add({ kind: "split", next: [this.compile(node, tail), out] });
    }
    for (let i = 0; i < min; i++) tail = this.compile(node, tail);
    return tail;
  }
}
