// The search DFA table shared by the construction (./automaton.ts), the TypeScript runner
// (./dfa-search.ts) and the module's runner (runtime/module/ops.ts); layout in ./automaton.ts.

export const DEAD_STATE = 0;
export const MATCHED_STATE = 1;

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
