// Subset constructions: the Thompson NFA (./nfa.ts) → an anchored DFA → a search DFA.
//
// Why two steps: a search DFA starts a new match attempt at every byte, and the plain subset
// construction over the NFA keeps every live attempt apart. For `github_pat_\w{82}` or
// `-----BEGIN[ A-Z]{0,100}PRIVATE KEY` that is exponentially many subsets, while the minimal search
// DFA is small: an older attempt that is further along accepts everything a newer one would. So the
// NFA is first determinised without restarts (anchored: usually a few states per pattern character),
// and the search DFA is built over sets of anchored states, each set pruned to the states whose
// language no other member's language contains. A pruned set accepts exactly what the full set
// accepts, and the construction stays close to the minimal automaton, which the state cap applies to.

import { DEAD_STATE, MATCHED_STATE, type Dfa } from "./dfa.js";
import { mergeClasses } from "./minimize.js";
import { AutomatonLimitError, type Nfa } from "./nfa.js";

/** An anchored DFA (no restarts): `start` reads from the input's start, `laterStart` from any later position. */
export interface AnchoredDfa extends Dfa {
  laterStart: number;
}

/** The NFA states a DFA state stands for: the byte-consuming ones and the ones waiting on `$`. */
interface Closure {
  states: number[];
  accepts: boolean;
}

/** Throws AutomatonLimitError when a construction needs more than `limit` states. */
function checkBudget(stateCount: number, limit: number): void {
  if (stateCount >= limit) throw new AutomatonLimitError(`more than ${count(limit)} intermediate automaton states`);
}

function count(n: number): string {
  return n.toLocaleString("en-US");
}

/** Determinises `nfa` without restarts. MATCHED is absorbing: a completed match stays matched. */
export function anchoredDfa(nfa: Nfa, limit: number): AnchoredDfa {
  return new AnchoredConstruction(nfa, limit).run();
}

class AnchoredConstruction {
  private readonly classes: { byteClasses: number[]; representatives: number[] };
  private readonly ids = new Map<string, number>();
  private readonly pending: number[][] = [];
  private readonly transitions: number[] = [];
  private readonly acceptAtEnd: number[] = [0, 0];
  private readonly seen: Uint32Array;
  private epoch = 0;

  constructor(
    private readonly nfa: Nfa,
    private readonly limit: number,
  ) {
    this.classes = byteClassesOf(nfa);
    this.seen = new Uint32Array(nfa.states.length);
  }

  run(): AnchoredDfa {
    const classCount = this.classes.representatives.length;
    for (let sink = 0; sink < 2; sink++) for (let c = 0; c < classCount; c++) this.transitions.push(sink);
    const start = this.stateFor(this.closure([this.nfa.start], true, false), true);
    const laterStart = this.stateFor(this.closure([this.nfa.start], false, false), false);
    // Most classes move a state's NFA states alike: close each distinct set of moves once.
    const bySeeds = new Map<string, number>();
    for (let id = 2; id - 2 < this.pending.length; id++) {
      for (const seeds of this.movesByClass(this.pending[id - 2]!)) {
        const key = seeds.join(",");
        let next = bySeeds.get(key);
        if (next === undefined) bySeeds.set(key, (next = this.stateFor(this.closure(seeds, false, false), false)));
        this.transitions.push(next);
      }
    }
    return {
      stateCount: this.acceptAtEnd.length,
      classCount,
      byteClasses: this.classes.byteClasses,
      start,
      laterStart,
      transitions: this.transitions,
      acceptAtEnd: this.acceptAtEnd,
    };
  }

  /** For every byte class, the NFA states reached by consuming one byte of it from `states`. */
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
    // `^` and `$` make the same NFA states accept differently at the input's start (e.g. `$^`).
    const key = `${initial ? "i" : ""}${closure.states.join(",")}`;
    const known = this.ids.get(key);
    if (known !== undefined) return known;
    checkBudget(this.acceptAtEnd.length, this.limit);
    const id = this.acceptAtEnd.length;
    this.ids.set(key, id);
    this.pending.push(closure.states);
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
 * The search DFA of an anchored DFA: a match attempt starts at every position (the anchored
 * `laterStart` joins the set after every byte). States are pruned sets of anchored states.
 */
export function searchDfa(anchored: AnchoredDfa, limit: number, stepLimit: number): Dfa {
  return new SearchConstruction(mergeClasses(anchored), limit, stepLimit).run();
}

/** Sets of match attempts larger than this are kept whole (see `stateFor`). */
const MAX_PRUNED_SET = 24;

class SearchConstruction {
  private readonly ids = new Map<string, number>();
  private readonly pending: number[][] = [];
  private readonly transitions: number[] = [];
  private readonly acceptAtEnd: number[] = [0, 0];
  private readonly inclusion: LanguageInclusion;

  constructor(
    private readonly anchored: AnchoredDfa,
    private readonly limit: number,
    stepLimit: number,
  ) {
    this.inclusion = new LanguageInclusion(anchored, stepLimit);
  }

  run(): Dfa {
    const { classCount, transitions: next, laterStart } = this.anchored;
    for (let sink = 0; sink < 2; sink++) for (let c = 0; c < classCount; c++) this.transitions.push(sink);
    const start = this.stateFor([this.anchored.start]);
    for (let id = 2; id - 2 < this.pending.length; id++) {
      const members = this.pending[id - 2]!;
      for (let c = 0; c < classCount; c++) {
        const moved = members.map((q) => next[q * classCount + c]!);
        moved.push(laterStart);
        this.transitions.push(this.stateFor(moved));
      }
    }
    return {
      stateCount: this.acceptAtEnd.length,
      classCount,
      byteClasses: this.anchored.byteClasses,
      start,
      transitions: this.transitions,
      acceptAtEnd: this.acceptAtEnd,
    };
  }

  private stateFor(states: number[]): number {
    if (states.includes(MATCHED_STATE)) return MATCHED_STATE;
    // Many moves land on the same unpruned set: remember those too, pruning is the costly part.
    const unpruned = sortedDistinctLive(states);
    const unprunedKey = `u${unpruned.join(",")}`;
    const seen = this.ids.get(unprunedKey);
    if (seen !== undefined) return seen;
    // A large set is mostly attempts none of which subsumes another (`[a-z]{1000}$`): pruning it
    // would cost a comparison per pair for little gain, and an unpruned set is a valid state too.
    const id = this.prunedStateFor(unpruned.length <= MAX_PRUNED_SET ? this.prune(unpruned) : unpruned);
    this.ids.set(unprunedKey, id);
    return id;
  }

  private prunedStateFor(members: number[]): number {
    if (members.length === 0) return DEAD_STATE;
    const key = members.join(",");
    const known = this.ids.get(key);
    if (known !== undefined) return known;
    checkBudget(this.acceptAtEnd.length, this.limit);
    const id = this.acceptAtEnd.length;
    this.ids.set(key, id);
    this.pending.push(members);
    this.acceptAtEnd.push(members.some((q) => this.anchored.acceptAtEnd[q] === 1) ? 1 : 0);
    return id;
  }

  /**
   * Drops every member whose language another member's contains (of two equal languages the lower
   * number stays), so the set is canonical. Keeps the numeric order of `states`.
   */
  private prune(states: number[]): number[] {
    const includes = (q: number, p: number): boolean => this.inclusion.includes(q, p);
    return states.filter((q) => !states.some((p) => p !== q && includes(q, p) && (p < q || !includes(p, q))));
  }
}

/** `states` sorted, without duplicates and without DEAD (insertion sort: the sets are small). */
function sortedDistinctLive(states: number[]): number[] {
  for (let i = 1; i < states.length; i++) {
    const q = states[i]!;
    let j = i - 1;
    for (; j >= 0 && states[j]! > q; j--) states[j + 1] = states[j]!;
    states[j + 1] = q;
  }
  const live: number[] = [];
  for (const q of states) if (q !== DEAD_STATE && q !== live[live.length - 1]) live.push(q);
  return live;
}

/** What is known of a pair of anchored states: dense when the pairs fit in 16 MB, else a map. */
const UNKNOWN = 0;
const INCLUDED = 1;
const NOT_INCLUDED = 2;
const EXPLORING = 3;

interface PairTable {
  get(key: number): number;
  set(key: number, value: number): void;
}

function pairTable(stateCount: number): PairTable {
  if (stateCount * stateCount <= 1 << 24) {
    const table = new Uint8Array(stateCount * stateCount);
    return { get: (key) => table[key]!, set: (key, value) => void (table[key] = value) };
  }
  const map = new Map<number, number>();
  return { get: (key) => map.get(key) ?? UNKNOWN, set: (key, value) => void map.set(key, value) };
}

/**
 * Decides L(q) ⊆ L(p) for states of an anchored DFA, where L(s) is the inputs that end in MATCHED
 * or in a state accepting at the end. It fails exactly when some input leads the pair (q, p) to a
 * pair where q's side accepts and p's does not. A query explores the undecided pairs reachable from
 * (q, p) breadth first: the first bad pair decides it and the pairs on the way to it (all false);
 * an exploration that finds none proves every pair it visited (all true). Answers are memoised.
 */
class LanguageInclusion {
  private readonly known: PairTable;
  private steps = 0;

  constructor(
    private readonly dfa: AnchoredDfa,
    private readonly stepLimit: number,
  ) {
    this.known = pairTable(dfa.stateCount);
  }

  includes(q: number, p: number): boolean {
    if (trivially(q, p)) return true;
    const known = this.known.get(this.key(q, p));
    return known === UNKNOWN ? this.explore(q, p) : known === INCLUDED;
  }

  private key(q: number, p: number): number {
    return q * this.dfa.stateCount + p;
  }

  private accepting(s: number): boolean {
    return s === MATCHED_STATE || this.dfa.acceptAtEnd[s] === 1;
  }

  private explore(q: number, p: number): boolean {
    const { stateCount, classCount, transitions } = this.dfa;
    const pairs = [this.key(q, p)];
    const parents = [-1];
    this.known.set(pairs[0]!, EXPLORING);
    if (this.accepting(q) && !this.accepting(p)) return this.disprove(pairs, parents, 0);
    for (let i = 0; i < pairs.length; i++) {
      const a = Math.floor(pairs[i]! / stateCount);
      const b = pairs[i]! % stateCount;
      for (let c = 0; c < classCount; c++) {
        const na = transitions[a * classCount + c]!;
        const nb = transitions[b * classCount + c]!;
        if (trivially(na, nb)) continue;
        const key = na * stateCount + nb;
        const known = this.known.get(key);
        if (known === NOT_INCLUDED) return this.disprove(pairs, parents, i);
        if (known !== UNKNOWN) continue;
        if (++this.steps > this.stepLimit) {
          throw new AutomatonLimitError(`more than ${count(this.stepLimit)} steps to compare match attempts`);
        }
        this.known.set(key, EXPLORING);
        pairs.push(key);
        parents.push(i);
        if (this.accepting(na) && !this.accepting(nb)) return this.disprove(pairs, parents, pairs.length - 1);
      }
    }
    for (const key of pairs) this.known.set(key, INCLUDED);
    return true;
  }

  /** The pair at `id` reaches a bad pair, and so do the pairs on the way to it; the rest stay unknown. */
  private disprove(pairs: readonly number[], parents: readonly number[], id: number): false {
    for (const key of pairs) this.known.set(key, UNKNOWN);
    for (let at = id; at >= 0; at = parents[at]!) this.known.set(pairs[at]!, NOT_INCLUDED);
    return false;
  }
}

/** Pairs whose inclusion needs no exploration: equal states, an empty left side, a universal right side. */
function trivially(q: number, p: number): boolean {
  return q === p || q === DEAD_STATE || p === MATCHED_STATE;
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
