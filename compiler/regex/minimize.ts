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
    for (let s = 0; s < stateCount; s++) {
      if (transitions[s * classCount + c] !== transitions[s * classCount + d]) return false;
    }
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

/**
 * The coarsest partition that respects acceptance and transitions, one block number per state:
 * Hopcroft's refinement, O(n·classes·log n) — Moore's rounds are quadratic on the long chains
 * counted repeats make. MATCHED counts as accepting at the end, so a state that accepts at the end
 * and only leads to MATCHED joins it.
 */
function equivalenceBlocks(dfa: Dfa): Int32Array {
  const { stateCount, classCount } = dfa;
  const predecessors = predecessorLists(dfa);
  const partition = new Partition(stateCount, (s) => (s === MATCHED_STATE || dfa.acceptAtEnd[s] === 1 ? 1 : 0));
  const pending = partition.initialSplitters();
  const touched: number[] = [];
  while (pending.length > 0) {
    const splitter = partition.members(pending.pop()!);
    for (let c = 0; c < classCount; c++) {
      for (const target of splitter) {
        const list = target * classCount + c;
        for (let i = predecessors.start[list]!; i < predecessors.start[list + 1]!; i++) {
          const block = partition.mark(predecessors.states[i]!);
          if (block >= 0) touched.push(block);
        }
      }
      for (const block of touched) partition.splitMarked(block, pending);
      touched.length = 0;
    }
  }
  return partition.blockOf;
}

/** For each (state, class): the states that move there on that class (`states[start[t·C+c] … start[t·C+c+1])`). */
function predecessorLists(dfa: Dfa): { start: Int32Array; states: Int32Array } {
  const { stateCount, classCount, transitions } = dfa;
  const cells = stateCount * classCount;
  // The cell of (s, c) is s·C + c; the list of (t, c) is indexed t·C + c.
  const listOf = (cell: number): number => transitions[cell]! * classCount + (cell % classCount);
  const start = new Int32Array(cells + 1);
  for (let cell = 0; cell < cells; cell++) start[listOf(cell) + 1]!++;
  for (let i = 0; i < cells; i++) start[i + 1]! += start[i]!;
  const fill = start.slice(0, cells);
  const states = new Int32Array(cells);
  for (let cell = 0; cell < cells; cell++) states[fill[listOf(cell)]!++] = Math.floor(cell / classCount);
  return { start, states };
}

/** Blocks as contiguous runs of one array; marking moves a state to the front of its block's run. */
class Partition {
  readonly blockOf: Int32Array;
  private readonly elements: Int32Array;
  private readonly position: Int32Array;
  private readonly first: number[] = [];
  private readonly end: number[] = [];
  private readonly marked: number[] = [];
  private readonly pending: boolean[] = [];

  constructor(stateCount: number, initialBlock: (s: number) => number) {
    this.blockOf = new Int32Array(stateCount);
    this.elements = new Int32Array(stateCount);
    this.position = new Int32Array(stateCount);
    const groups: number[][] = [[], []];
    for (let s = 0; s < stateCount; s++) groups[initialBlock(s)]!.push(s);
    let at = 0;
    for (const group of groups.filter((g) => g.length > 0)) {
      const block = this.first.length;
      this.first.push(at);
      for (const s of group) {
        this.blockOf[s] = block;
        this.position[s] = at;
        this.elements[at++] = s;
      }
      this.end.push(at);
      this.marked.push(0);
      this.pending.push(false);
    }
  }

  /** Every initial block but the largest: splitting by all of them splits by the largest too. */
  initialSplitters(): number[] {
    const blocks = this.first
      .map((_, block) => block)
      .sort((a, b) => this.size(a) - this.size(b))
      .slice(0, -1);
    for (const block of blocks) this.pending[block] = true;
    return blocks;
  }

  members(block: number): number[] {
    this.pending[block] = false;
    return Array.from(this.elements.subarray(this.first[block]!, this.end[block]!));
  }

  /** Marks `s`; returns its block when this is the block's first mark, else -1. */
  mark(s: number): number {
    const block = this.blockOf[s]!;
    const to = this.first[block]! + this.marked[block]!;
    if (this.position[s]! < to) return -1; // already marked
    const other = this.elements[to]!;
    this.elements[this.position[s]!] = other;
    this.position[other] = this.position[s]!;
    this.elements[to] = s;
    this.position[s] = to;
    return this.marked[block]!++ === 0 ? block : -1;
  }

  /** Splits the marked states off `block` unless all are marked; queues a new splitter. */
  splitMarked(block: number, pending: number[]): void {
    const marked = this.marked[block]!;
    this.marked[block] = 0;
    if (marked === this.size(block)) return;
    const split = this.first.length;
    this.first.push(this.first[block]!);
    this.end.push(this.first[block]! + marked);
    this.marked.push(0);
    this.pending.push(false);
    this.first[block]! += marked;
    for (let i = this.first[split]!; i < this.end[split]!; i++) this.blockOf[this.elements[i]!] = split;
    // Hopcroft: a pending block stays pending in both halves; otherwise the smaller half is enough.
    const queued = this.pending[block] || this.size(split) <= this.size(block) ? split : block;
    if (!this.pending[queued]) {
      this.pending[queued] = true;
      pending.push(queued);
    }
  }

  private size(block: number): number {
    return this.end[block]! - this.first[block]!;
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
        const nextA = a.transitions[sa * a.classCount + a.byteClasses[byte]!]!;
        transitions.push(stateFor(nextA, b.transitions[sb * b.classCount + b.byteClasses[byte]!]!));
      }
    }
    const { byteClasses } = classes;
    return minimize({ stateCount: acceptAtEnd.length, classCount, byteClasses, start, transitions, acceptAtEnd });
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
