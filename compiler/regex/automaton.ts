// Regex → search automaton over UTF-8 bytes: one or more DFAs, run side by side, with state caps.
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
// Construction (./subset.ts, ./minimize.ts): every top-level alternative becomes a minimal search
// DFA; consecutive alternatives are merged into one DFA (the minimised union product) while its
// table is no larger than the two it replaces, otherwise the next DFA starts. The pattern matches
// when any of its DFAs does; each DFA is linear in the input, so k DFAs take O(k·n). The caps apply
// to the kept, minimal automata: at most MAX_DFA_STATES per DFA and MAX_PATTERN_STATES in all; the
// intermediate automata are bounded by MAX_CONSTRUCTION_STATES and the comparisons of match
// attempts by MAX_CONSTRUCTION_STEPS, so that building (or refusing) stays fast.
//
// Table layout (`Dfa`, JSON-serialisable; `encodeAutomaton` packs them for embedding as data):
// - state 0 is DEAD (no match possible any more), state 1 is MATCHED; both loop to themselves;
// - `byteClasses[b]` maps a byte to its equivalence class; `transitions[s * classCount + c]` is the
//   next state; `acceptAtEnd[s]` is 1 when input ending in state s matches (a pending `$`).
// Running it: s = start; for each byte: s = next(s, b), stop if s <= 1 (s === 1 is a match); at the
// end the answer is s === 1 || acceptAtEnd[s] === 1.

import type { RegexNode } from "./ast.js";
import type { Dfa } from "./dfa.js";
import { minimize, unionProduct } from "./minimize.js";
import { AutomatonLimitError, buildNfa } from "./nfa.js";
import { parseRegex } from "./parse.js";
import { anchoredDfa, searchDfa } from "./subset.js";
import {
  DFA_BYTE_CLASSES,
  DFA_CLASS_COUNT,
  DFA_START,
  DFA_STATE_COUNT,
  DFA_TRANSITIONS,
} from "../../contract/abi/layout.js";

export { DEAD_STATE, MATCHED_STATE, type Dfa } from "./dfa.js";

/** At most this many states (sinks included) in one kept DFA, which keeps every table within u16 indices. */
export const MAX_DFA_STATES = 4096;
/** At most this many kept states over all the DFAs of one pattern (2 bytes per byte class each in a module). */
export const MAX_PATTERN_STATES = 16_384;
/** At most this many states in an intermediate automaton (before minimisation). */
export const MAX_CONSTRUCTION_STATES = 16_384;
/** At most this many pairs of anchored states compared while pruning match attempts (bounds build time). */
export const MAX_CONSTRUCTION_STEPS = 2_000_000;
/** At most this many NFA states (deeply nested counted repeats blow up before subset construction). */
export const MAX_NFA_STATES = 100_000;

/** A pattern's search automaton: it matches where any of `dfas` matches. */
export type AutomatonResult = { ok: true; dfas: Dfa[] } | { ok: false; message: string };

/** The caps a compilation applies; tests lower them to exercise splitting and refusals. */
export interface AutomatonCaps {
  dfaStates: number;
  patternStates: number;
  constructionStates: number;
  constructionSteps: number;
}

export const DEFAULT_CAPS: AutomatonCaps = {
  dfaStates: MAX_DFA_STATES,
  patternStates: MAX_PATTERN_STATES,
  constructionStates: MAX_CONSTRUCTION_STATES,
  constructionSteps: MAX_CONSTRUCTION_STEPS,
};

/** Compiles a regex to its search DFAs, or explains why they are too large (report it as MG2030). */
export function compileRegex(node: RegexNode, caps: AutomatonCaps = DEFAULT_CAPS): AutomatonResult {
  const dfas: Dfa[] = [];
  const alternatives = topLevelAlternatives(node);
  for (const [index, alternative] of alternatives.entries()) {
    const which = alternatives.length === 1 ? "it" : `its alternative ${index + 1}`;
    let dfa: Dfa;
    try {
      dfa = alternativeDfa(alternative, caps);
    } catch (e) {
      if (!(e instanceof AutomatonLimitError)) throw e;
      return { ok: false, message: `the pattern is too complex: ${which} needs ${e.message}` };
    }
    if (dfa.stateCount > caps.dfaStates) {
      const needs = `${count(dfa.stateCount)} automaton states once minimised`;
      return { ok: false, message: `${which} needs ${needs}, more than ${count(caps.dfaStates)}` };
    }
    const merged = dfas.length === 0 ? null : mergedIfSmaller(dfas[dfas.length - 1]!, dfa, caps);
    if (merged !== null) dfas[dfas.length - 1] = merged;
    else dfas.push(dfa);
  }
  const total = dfas.reduce((sum, dfa) => sum + dfa.stateCount, 0);
  if (total > caps.patternStates) {
    const needs = `${count(total)} states in all`;
    return { ok: false, message: `its ${dfas.length} automata need ${needs}, more than ${count(caps.patternStates)}` };
  }
  return { ok: true, dfas };
}

/**
 * One DFA for both when its table is no larger than theirs together (one pass instead of two, for
 * free) and it stays within the cap; else null. Products of alternatives that overlap (one's match
 * attempt running while the other's starts) grow fast, so the construction gives up early.
 */
function mergedIfSmaller(a: Dfa, b: Dfa, caps: AutomatonCaps): Dfa | null {
  // Twice the states the merged table may keep: minimisation rarely halves a product.
  const budget = 2 * (tableSize(a) + tableSize(b));
  const stateLimit = (classCount: number): number => Math.min(caps.constructionStates, budget / classCount);
  const merged = unionProduct(a, b, stateLimit);
  if (merged === null || merged.stateCount > caps.dfaStates) return null;
  return tableSize(merged) <= tableSize(a) + tableSize(b) ? merged : null;
}

function tableSize(dfa: Dfa): number {
  return dfa.stateCount * dfa.classCount;
}

/** The minimal search DFA of one alternative; throws AutomatonLimitError past a construction cap. */
function alternativeDfa(node: RegexNode, caps: AutomatonCaps): Dfa {
  const anchored = anchoredDfa(buildNfa(node, MAX_NFA_STATES), caps.constructionStates);
  return minimize(searchDfa(anchored, caps.constructionStates, caps.constructionSteps));
}

/** `a|b|c` → [a, b, c], looking through groups around the whole pattern. */
function topLevelAlternatives(node: RegexNode): RegexNode[] {
  if (node.kind === "group") return topLevelAlternatives(node.node);
  if (node.kind === "alternation") return node.options.flatMap(topLevelAlternatives);
  return [searchEquivalent(node)];
}

/**
 * Drops what cannot change whether an unanchored search finds a match: a leading or trailing
 * optional repeat (`[\w.-]{0,50}?key` finds a match exactly where `key` does) and a repeat's extra
 * copies at either end (`x{2,}` → `x{2}`). Every match of the original contains a match of the
 * trimmed pattern at the same position, and the other way round. Leading repeats matter: their
 * anchored automaton tracks every split of the input among them and what follows.
 */
function searchEquivalent(node: RegexNode): RegexNode {
  const items = concatItems(node);
  while (items.length > 0 && isOptionalRepeat(items[0]!)) items.shift();
  while (items.length > 0 && isOptionalRepeat(items[items.length - 1]!)) items.pop();
  if (items.length > 0) items[0] = fewestCopies(items[0]!);
  if (items.length > 0) items[items.length - 1] = fewestCopies(items[items.length - 1]!);
  return items.length === 1 ? items[0]! : { kind: "concat", items };
}

function concatItems(node: RegexNode): RegexNode[] {
  if (node.kind === "group") return concatItems(node.node);
  if (node.kind === "concat") return node.items.flatMap(concatItems);
  return [node];
}

function isOptionalRepeat(node: RegexNode): boolean {
  return node.kind === "repeat" && node.min === 0;
}

function fewestCopies(node: RegexNode): RegexNode {
  return node.kind === "repeat" ? { ...node, max: node.min } : node;
}

function count(n: number): string {
  return n.toLocaleString("en-US");
}

// Patterns recur (the checker validates them, the planner embeds them, constitutions repeat them).
const byPattern = new Map<string, AutomatonResult>();

/**
 * The search automaton of a pattern as written, memoised per pattern. Parse errors are the
 * checker's to report (MG2030); here they come back as `ok: false` like an oversized automaton.
 */
export function patternAutomaton(pattern: string): AutomatonResult {
  let result = byPattern.get(pattern);
  if (result === undefined) {
    const parsed = parseRegex(pattern);
    result = parsed.ok ? compileRegex(parsed.regex) : { ok: false, message: parsed.message };
    byPattern.set(pattern, result);
  }
  return result;
}

/** Packs a pattern's DFAs for embedding: u32 count, then each DFA (`encodeDfa`) padded to 4 bytes. */
export function encodeAutomaton(dfas: readonly Dfa[]): Uint8Array {
  const packed = dfas.map(encodeDfa);
  const bytes = new Uint8Array(4 + packed.reduce((sum, dfa) => sum + paddedLength(dfa.length), 0));
  new DataView(bytes.buffer).setUint32(0, dfas.length, true);
  let at = 4;
  for (const dfa of packed) {
    bytes.set(dfa, at);
    at += paddedLength(dfa.length);
  }
  return bytes;
}

/** Every packed DFA starts 4-aligned (runtime/module/ops.ts computes the same length). */
function paddedLength(length: number): number {
  return (length + 3) & ~3;
}

/**
 * Packs a DFA for embedding: u16 stateCount, classCount, start, 0; 256 class bytes; u16 LE
 * transitions; one acceptAtEnd byte per state.
 */
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
