// DFA minimisation and the union product of search DFAs (tables as in ./automaton.ts).

import { AutomatonLimitError } from "./nfa.js";
import { DEAD_STATE, MATCHED_STATE, type Dfa } from "./dfa.js";

/**
 * Moore partition refinement: merges states no input can tell apart. The sinks stay 0 and 1; other
 * states are renumbered in breadth-first order from the start, so the result is deterministic.
 */
export function minimize(dfa: Dfa): Dfa {
  const block = equivalenceBlocks(dfa);
  const { classCount, transitions } = dfa;
  const idOfBlock = new Int32Array(dfa.stateCount).fill(-1);
  idOfBlock[block[DEAD_STATE]!] = DEAD_STATE;
  idOfBlock[block[MATCHED_STATE]!] = MATCHED_STATE;
  const representatives = [DEAD_STATE, MATCHED_STATE];
  const idOf = (s: number): number => {
    let id = idOfBlock[block[s]!]!;
    if (id < 0) {
      idOfBlock[block[s]!] = id = representatives.length;
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
  return mergeClasses({
    stateCount: representatives.length,
    classCount,
    byteClasses: dfa.byteClasses,
    start,
    transitions: minimized,
    acceptAtEnd: representatives.map((s) => (s === MATCHED_STATE ? 0 : dfa.acceptAtEnd[s]!)),
  });
}

/** Merges byte classes whose columns are equal (a smaller table; classes by first byte, so deterministic). */
export function mergeClasses<T extends Dfa>(dfa: T): T {
  const { stateCount, classCount, transitions } = dfa;
  const sameColumn = (c: number, d: number): boolean => {
    for (let s = 0; s < stateCount; s++) if (transitions[s * classCount + c] !== transitions[s * classCount + d]) return false;
    return true;
  };
  const merged: number[] = [];
  const kept: number[] = [];
  for (let c = 0; c < classCount; c++) {
    let id = kept.findIndex((d) => sameColumn(c, d));
    if (id < 0) id = kept.push(c) - 1;
    merged.push(id);
  }
  if (kept.length === classCount) return dfa;
  const table: number[] = [];
  for (let s = 0; s < stateCount; s++) for (const c of kept) table.push(transitions[s * classCount + c]!);
  return { ...dfa, classCount: kept.length, byteClasses: dfa.byteClasses.map((c) => merged[c]!), transitions: table };
}

/** The coarsest partition that respects acceptance and transitions: one block number per state. */
function equivalenceBlocks(dfa: Dfa): Int32Array {
  const { stateCount, classCount, transitions } = dfa;
  // MATCHED accepts at the end too; a state that accepts at the end and only leads to MATCHED is MATCHED.
  let block = Int32Array.from(dfa.acceptAtEnd, (accepts, s) => (s === MATCHED_STATE ? 1 : accepts));
  let blockCount = 2;
  for (;;) {
    // A state's signature: its block and its successors' blocks. Hashed, then compared on collision.
    const byHash = new Map<number, number>();
    const representative: number[] = [];
    const sameHash: number[] = [];
    const refined = new Int32Array(stateCount);
    const sameSignature = (s: number, t: number): boolean => {
      if (block[s] !== block[t]) return false;
      for (let c = 0; c < classCount; c++) {
        if (block[transitions[s * classCount + c]!] !== block[transitions[t * classCount + c]!]) return false;
      }
      return true;
    };
    for (let s = 0; s < stateCount; s++) {
      let hash = block[s]!;
      for (let c = 0; c < classCount; c++) hash = Math.imul(hash ^ block[transitions[s * classCount + c]!]!, 0x01000193);
      let id = byHash.get(hash) ?? -1;
      while (id >= 0 && !sameSignature(representative[id]!, s)) id = sameHash[id]!;
      if (id < 0) {
        id = representative.push(s) - 1;
        sameHash.push(byHash.get(hash) ?? -1);
        byHash.set(hash, id);
      }
      refined[s] = id;
    }
    if (representative.length === blockCount) return block;
    block = refined;
    blockCount = representative.length;
  }
}

/**
 * The search DFA matching where `a` or `b` matches, minimised; null when the product needs more
 * than `limit(classCount)` states (then the two automata run side by side instead).
 */
export function unionProduct(a: Dfa, b: Dfa, stateLimit: (classCount: number) => number): Dfa | null {
  const classes = productClasses(a, b);
  const classCount = classes.representatives.length;
  const limit = stateLimit(classCount);
  const ids = new Map<number, number>();
  const pending: [number, number][] = [];
  const transitions: number[] = [];
  const acceptAtEnd = [0, 0];
  const stateFor = (sa: number, sb: number): number => {
    if (sa === MATCHED_STATE || sb === MATCHED_STATE) return MATCHED_STATE;
    if (sa === DEAD_STATE && sb === DEAD_STATE) return DEAD_STATE;
    const key = sa * b.stateCount + sb;
    let id = ids.get(key);
    if (id === undefined) {
      if (acceptAtEnd.length >= limit) throw new AutomatonLimitError("product too large");
      ids.set(key, (id = acceptAtEnd.length));
      pending.push([sa, sb]);
      acceptAtEnd.push(a.acceptAtEnd[sa] === 1 || b.acceptAtEnd[sb] === 1 ? 1 : 0);
    }
    return id;
  };
  for (let sink = 0; sink < 2; sink++) for (let c = 0; c < classCount; c++) transitions.push(sink);
  try {
    const start = stateFor(a.start, b.start);
    for (let i = 0; i < pending.length; i++) {
      const [sa, sb] = pending[i]!;
      for (const byte of classes.representatives) {
        transitions.push(stateFor(a.transitions[sa * a.classCount + a.byteClasses[byte]!]!, b.transitions[sb * b.classCount + b.byteClasses[byte]!]!));
      }
    }
    return minimize({ stateCount: acceptAtEnd.length, classCount, byteClasses: classes.byteClasses, start, transitions, acceptAtEnd });
  } catch (e) {
    if (e instanceof AutomatonLimitError) return null;
    throw e;
  }
}

/** The coarsest byte classes that refine both automata's classes. */
function productClasses(a: Dfa, b: Dfa): { byteClasses: number[]; representatives: number[] } {
  const ids = new Map<number, number>();
  const byteClasses: number[] = [];
  const representatives: number[] = [];
  for (let byte = 0; byte < 256; byte++) {
    const key = a.byteClasses[byte]! * 256 + b.byteClasses[byte]!;
    let id = ids.get(key);
    if (id === undefined) {
      ids.set(key, (id = representatives.length));
      representatives.push(byte);
    }
    byteClasses.push(id);
  }
  return { byteClasses, representatives };
}
