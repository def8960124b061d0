// The search DFA table shared by the construction (./automaton.ts), the TypeScript runner
// (./dfa-search.ts) and the module's runner (runtime/module/ops.ts); layout in ./automaton.ts.

import { DFA_DEAD_STATE, DFA_MATCHED_STATE } from "../../contract/abi/layout.js";

// The sinks are the module's too (contract/abi/layout.ts `DFA_*`).
export const DEAD_STATE = DFA_DEAD_STATE;
export const MATCHED_STATE = DFA_MATCHED_STATE;

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
