// Runs search DFAs (./automaton.ts) over a JavaScript string: the string is fed as WTF-8 bytes,
// one code point at a time, without allocating. Linear in the input length per DFA.

import { DEAD_STATE, MATCHED_STATE, type Dfa } from "./dfa.js";

/** UTF-8 lead-byte marker by encoded length. */
const LEAD = [0, 0, 0xc0, 0xe0, 0xf0] as const;

/** True when a pattern compiled into `dfas` matches anywhere in `text`: when any of its DFAs does. */
export function automatonSearch(dfas: readonly Dfa[], text: string): boolean {
  return dfas.some((dfa) => dfaSearch(dfa, text));
}

/** True when the regex compiled into `dfa` matches anywhere in `text` (like `RegExp.test` with `u`). */
export function dfaSearch(dfa: Dfa, text: string): boolean {
  let state = dfa.start;
  for (let i = 0; i < text.length && state > MATCHED_STATE; i++) {
    const cp = text.codePointAt(i)!;
    if (cp > 0xffff) i++;
    state = stepCodePoint(dfa, state, cp);
  }
  if (state === DEAD_STATE) return false;
  return state === MATCHED_STATE || dfa.acceptAtEnd[state] === 1;
}

function stepCodePoint(dfa: Dfa, state: number, cp: number): number {
  if (cp <= 0x7f) return stepByte(dfa, state, cp);
  const length = cp <= 0x7ff ? 2 : cp <= 0xffff ? 3 : 4;
  let shift = 6 * (length - 1);
  let next = stepByte(dfa, state, LEAD[length] | (cp >> shift));
  for (shift -= 6; shift >= 0 && next > MATCHED_STATE; shift -= 6)
    next = stepByte(dfa, next, 0x80 | ((cp >> shift) & 0x3f));
  return next;
}

function stepByte(dfa: Dfa, state: number, byte: number): number {
  return dfa.transitions[state * dfa.classCount + dfa.byteClasses[byte]!]!;
}
