// Regex → search DFA over UTF-8 bytes, by subset construction, with a state cap.
//
// Why bytes: the WASM module keeps strings as UTF-8, so a byte DFA runs one table lookup per input
// byte with no decoding. Code points map to byte sequences in ./utf8-ranges.ts (WTF-8: lone
// surrogates count as code points, as in JavaScript's `u` mode).
//
// Semantics: `RegExp.prototype.test` with the `u` flag — the pattern matches anywhere (a new match
// attempt starts at every position), `^`/`$` hold only at the start/end of the whole input, `.`
// excludes `\n \r \u2028 \u2029`. Since only "is there a match" matters, every accepting DFA state
// collapses into one sink, so a search stops at the first byte that completes a match.
//
// Table layout (`Dfa`, JSON-serialisable; `encodeDfa` packs it for embedding as data):
// - state 0 is DEAD (no match possible any more), state 1 is MATCHED; both loop to themselves;
// - `byteClasses[b]` maps a byte to its equivalence class; `transitions[s * classCount + c]` is the
//   next state; `acceptAtEnd[s]` is 1 when input ending in state s matches (a pending `$`).
// Running it: s = start; for each byte: s = next(s, b), stop if s <= 1 (s === 1 is a match); at the
// end the answer is s === 1 || acceptAtEnd[s] === 1.

import type { RegexNode } from "./ast.js";
import { AutomatonLimitError, buildNfa, type Nfa } from "./nfa.js";
import { parseRegex } from "./parse.js";
import {
  DFA_BYTE_CLASSES, DFA_CLASS_COUNT, DFA_DEAD_STATE, DFA_MATCHED_STATE, DFA_START, DFA_STATE_COUNT, DFA_TRANSITIONS,
} from "../../contract/abi/layout.js";

// The sinks and the packed layout are the module's too (contract/abi/layout.ts `DFA_*`).
export const DEAD_STATE = DFA_DEAD_STATE;
export const MATCHED_STATE = DFA_MATCHED_STATE;
/** At most this many DFA states (sinks included), which keeps every table within u16 indices. */
export const MAX_DFA_STATES = 4096;
/** At most this many NFA states (deeply nested counted repeats blow up before subset construction). */
export const MAX_NFA_STATES = 100_000;

export interface Dfa {
  stateCount: number;
  classCount: number;
  /** 256 entries: byte → class. */
  byteClasses: number[];
  start: number;
  /** `stateCount × classCount` next states, row-major. */
  transitions: number[];
  /** One 0/1 entry per state. */
  acceptAtEnd: number[];
}

export type DfaResult = { ok: true; dfa: Dfa } | { ok: false; message: string };

/** Compiles a regex to its search DFA, or explains why it is too large (report it as MG2030). */
export function compileRegexDfa(node: RegexNode): DfaResult {
  try {
    return { ok: true, dfa: minimize(new SubsetConstruction(buildNfa(node, MAX_NFA_STATES)).run()) };
  } catch (e) {
    if (e instanceof AutomatonLimitError) return { ok: false, message: `the pattern is too complex: it needs ${e.message}` };
    throw e;
  }
}

// Patterns recur (the checker validates them, the planner embeds them, constitutions repeat them).
const byPattern = new Map<string, DfaResult>();

/**
 * The search DFA of a pattern as written, memoised per pattern. Parse errors are the checker's to
 * report (MG2030); here they come back as `ok: false` like an oversized automaton.
 */
export function patternDfa(pattern: string): DfaResult {
  let result = byPattern.get(pattern);
  if (result === undefined) {
    const parsed = parseRegex(pattern);
    result = parsed.ok ? compileRegexDfa(parsed.regex) : { ok: false, message: parsed.message };
    byPattern.set(pattern, result);
  }
  return result;
}

/** The NFA states a DFA state stands for: the byte-consuming ones and the ones waiting on `$`. */
interface Closure {
  states: number[];
  accepts: boolean;
}

class SubsetConstruction {
  private readonly classes: { byteClasses: number[]; representatives: number[] };
  private readonly ids = new Map<string, number>();
  private readonly pending: { states: number[]; initial: boolean }[] = [];
  private readonly transitions: number[] = [];
  private readonly acceptAtEnd: number[] = [0, 0];
  private readonly seen: Uint32Array;
  private epoch = 0;

  constructor(private readonly nfa: Nfa) {
    this.classes = byteClassesOf(nfa);
    this.seen = new Uint32Array(nfa.states.length);
  }

  run(): Dfa {
    const classCount = this.classes.representatives.length;
    for (let sink = 0; sink < 2; sink++) for (let c = 0; c < classCount; c++) this.transitions.push(sink);
    const start = this.stateFor(this.closure([this.nfa.start], true, false), true);
    for (let id = 2; id - 2 < this.pending.length; id++) {
      for (const seeds of this.movesByClass(this.pending[id - 2]!.states)) {
        seeds.push(this.nfa.start);
        this.transitions.push(this.stateFor(this.closure(seeds, false, false), false));
      }
    }
    return {
      stateCount: this.acceptAtEnd.length,
      classCount,
      byteClasses: this.classes.byteClasses,
      start,
      transitions: this.transitions,
      acceptAtEnd: this.acceptAtEnd,
    };
  }

  /**
   * For every byte class, the NFA states reached by consuming one byte of it from `states`. The
   * caller adds the NFA start to each, which begins a new match attempt there (unanchored search).
   */
  private movesByClass(states: readonly number[]): number[][] {
    const { byteClasses, representatives } = this.classes;
    const moves = representatives.map((): number[] => []);
    for (const s of states) {
      const state = this.nfa.states[s]!;
      if (state.kind !== "byte") continue;
      for (let c = byteClasses[state.lo]!; c <= byteClasses[state.hi]!; c++) moves[c]!.push(state.next);
    }
    return moves;
  }

  private stateFor(closure: Closure, initial: boolean): number {
    if (closure.accepts) return MATCHED_STATE;
    if (closure.states.length === 0) return DEAD_STATE;
    const key = `${initial ? "i" : ""}${closure.states.join(",")}`;
    const known = this.ids.get(key);
    if (known !== undefined) return known;
    if (this.acceptAtEnd.length >= MAX_DFA_STATES) throw new AutomatonLimitError(`more than ${MAX_DFA_STATES} automaton states`);
    const id = this.acceptAtEnd.length;
    this.ids.set(key, id);
    this.pending.push({ states: closure.states, initial });
    this.acceptAtEnd.push(this.closure(closure.states, initial, true).accepts ? 1 : 0);
    return id;
  }

  /** Epsilon closure; `^` edges pass only `atStart`, `$` edges only `atEnd` (otherwise the state waits). */
  private closure(seeds: readonly number[], atStart: boolean, atEnd: boolean): Closure {
    const epoch = ++this.epoch;
    const kept: number[] = [];
    const stack = [...seeds];
    let accepts = false;
    while (stack.length > 0) {
      const s = stack.pop()!;
      if (this.seen[s] === epoch) continue;
      this.seen[s] = epoch;
      const state = this.nfa.states[s]!;
      switch (state.kind) {
        case "byte":
          kept.push(s);
          break;
        case "split":
          for (let i = state.next.length - 1; i >= 0; i--) stack.push(state.next[i]!);
          break;
        case "assert":
          if (state.at === "start" ? atStart : atEnd) stack.push(state.next);
          else if (state.at === "end") kept.push(s);
          break;
        case "accept":
          accepts = true;
          break;
      }
    }
    // A typed-array sort is numeric without a comparator, and far faster on these hot paths.
    return { states: Array.from(Int32Array.from(kept).sort()), accepts };
  }
}

/**
 * Moore partition refinement: merges states no input can tell apart. Search DFAs shrink a lot (for
 * `(AKIA|ASIA)[0-9A-Z]{16}` from thousands of states to a few dozen): an older match attempt is
 * dominated by a newer one that is further along. The sinks stay 0 and 1; other states are
 * renumbered in breadth-first order from the start, so the result is deterministic.
 */
function minimize(dfa: Dfa): Dfa {
  const { classCount, transitions } = dfa;
  // MATCHED accepts at the end too; a state that accepts at the end and only leads to MATCHED is MATCHED.
  let block = dfa.acceptAtEnd.map((accepts, s) => (s === MATCHED_STATE ? 1 : accepts));
  for (let blocks = -1; ; ) {
    const keys = new Map<string, number>();
    const next = block.map((b, s) => {
      let key = String(b);
      for (let c = s * classCount; c < (s + 1) * classCount; c++) key += `,${block[transitions[c]!]}`;
      let id = keys.get(key);
      if (id === undefined) keys.set(key, (id = keys.size));
      return id;
    });
    block = next;
    if (keys.size === blocks) break;
    blocks = keys.size;
  }
  const renumbered = new Map<number, number>([[block[DEAD_STATE]!, DEAD_STATE], [block[MATCHED_STATE]!, MATCHED_STATE]]);
  const representatives = [DEAD_STATE, MATCHED_STATE];
  const idOf = (s: number): number => {
    let id = renumbered.get(block[s]!);
    if (id === undefined) {
      renumbered.set(block[s]!, (id = representatives.length));
      representatives.push(s);
    }
    return id;
  };
  const start = idOf(dfa.start);
  const minimized: number[] = [];
  for (let i = 0; i < representatives.length; i++) {
    const s = representatives[i]!;
    for (let c = 0; c < classCount; c++) minimized.push(idOf(transitions[s * classCount + c]!));
  }
  return {
    stateCount: representatives.length,
    classCount,
    byteClasses: dfa.byteClasses,
    start,
    transitions: minimized,
    acceptAtEnd: representatives.map((s) => (s === MATCHED_STATE ? 0 : dfa.acceptAtEnd[s]!)),
  };
}

/** Partitions the 256 bytes into classes no NFA byte range tells apart. */
function byteClassesOf(nfa: Nfa): { byteClasses: number[]; representatives: number[] } {
  const boundary = new Array<boolean>(257).fill(false);
  boundary[0] = true;
  for (const state of nfa.states) {
    if (state.kind !== "byte") continue;
    boundary[state.lo] = true;
    boundary[state.hi + 1] = true;
  }
  const byteClasses: number[] = [];
  const representatives: number[] = [];
  for (let b = 0; b < 256; b++) {
    if (boundary[b]) representatives.push(b);
    byteClasses.push(representatives.length - 1);
  }
  return { byteClasses, representatives };
}

/** Packs a DFA for embedding: u16 stateCount, classCount, start, 0; 256 class bytes; u16 LE transitions; one acceptAtEnd byte per state. */
export function encodeDfa(dfa: Dfa): Uint8Array {
  const acceptAtEnd = DFA_TRANSITIONS + 2 * dfa.transitions.length;
  const bytes = new Uint8Array(acceptAtEnd + dfa.stateCount);
  const view = new DataView(bytes.buffer);
  view.setUint16(DFA_STATE_COUNT, dfa.stateCount, true);
  view.setUint16(DFA_CLASS_COUNT, dfa.classCount, true);
  view.setUint16(DFA_START, dfa.start, true);
  bytes.set(dfa.byteClasses, DFA_BYTE_CLASSES);
  dfa.transitions.forEach((next, i) => view.setUint16(DFA_TRANSITIONS + 2 * i, next, true));
  bytes.set(dfa.acceptAtEnd, acceptAtEnd);
  return bytes;
}
