import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { parseRegex } from "../../compiler/regex/parse.js";
import {
  compileRegex,
  DEFAULT_CAPS,
  encodeAutomaton,
  encodeDfa,
  MAX_CONSTRUCTION_STATES,
  MAX_DFA_STATES,
  patternAutomaton,
  type AutomatonCaps,
  type AutomatonResult,
  type Dfa,
} from "../../compiler/regex/automaton.js";
import { automatonSearch, dfaSearch } from "../../compiler/regex/dfa-search.js";

function compiled(pattern: string, caps: AutomatonCaps = DEFAULT_CAPS): AutomatonResult {
  const parsed = parseRegex(pattern);
  if (!parsed.ok) throw new Error(`test pattern /${pattern}/ does not parse: ${parsed.message}`);
  return compileRegex(parsed.regex, caps);
}

function dfasOf(pattern: string): Dfa[] {
  const result = compiled(pattern);
  if (!result.ok) throw new Error(`test pattern /${pattern}/ does not compile: ${result.message}`);
  return result.dfas;
}

/** The one DFA of a pattern that compiles to a single automaton. */
function dfaOf(pattern: string): Dfa {
  const dfas = dfasOf(pattern);
  expect(dfas).toHaveLength(1);
  return dfas[0]!;
}

const CASES: [pattern: string, text: string][] = [
  ["-----BEGIN [A-Z ]*PRIVATE KEY-----", "x\n-----BEGIN RSA PRIVATE KEY-----\nabc"],
  ["-----BEGIN [A-Z ]*PRIVATE KEY-----", "-----BEGIN rsa PRIVATE KEY-----"],
  ["(AKIA|ASIA)[0-9A-Z]{16}", "key=AKIAABCDEFGHIJKLMNOP;"],
  ["(AKIA|ASIA)[0-9A-Z]{16}", "key=AKIAABCDEFGHIJKLMNO"],
  ["^abc$", "abc"],
  ["^abc$", "abcd"],
  ["^abc", "xabc"],
  ["abc$", "xabc"],
  ["abc$", "abc\n"],
  ["^$", ""],
  ["^$", "a"],
  ["", ""],
  ["a|^b", "cb"],
  ["a|^b", "bc"],
  ["x^", "x"],
  ["$a", "a"],
  ["a.c", "a\nc"],
  ["a.c", "a\u2028c"],
  ["a.c", "a😀c"],
  ["a..c", "a😀c"],
  ["[^a]", "😀"],
  ["^.$", "\ud800"],
  ["é+", "caféé"],
  ["[€-😀]x", "😀x"],
  ["\\d{3}-\\d{4}", "call 555-1234 now"],
  ["\\w+@\\w+", "mail: a@b"],
  ["(a*)*b", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaab"],
  ["a{2,3}?b", "aab"],
];

/** Three alternatives whose product passes a per-DFA cap of 48 states (each fits alone). */
const SPLIT_PATTERN = "AKIA[0-9A-Z]{16}|ghp_[A-Za-z0-9]{12}|xoxb-[0-9]{10}";

describe("regex search automaton", () => {
  it.each(CASES)("/%s/ on %j agrees with RegExp", (pattern, text) => {
    expect(automatonSearch(dfasOf(pattern), text)).toBe(new RegExp(pattern, "u").test(text));
  });

  it("sinks: state 0 is dead and state 1 matched, both looping to themselves", () => {
    const dfa = dfaOf("^ab");
    for (const sink of [0, 1]) {
      const row = dfa.transitions.slice(sink * dfa.classCount, (sink + 1) * dfa.classCount);
      expect(row.every((next) => next === sink)).toBe(true);
    }
    expect(dfa.byteClasses).toHaveLength(256);
    expect(dfa.transitions).toHaveLength(dfa.stateCount * dfa.classCount);
  });

  it("a pattern that matches the empty string starts in the matched state", () => {
    expect(dfaOf("a*").start).toBe(1);
  });

  it("the cap applies to the minimal DFA: one that needs more than MAX_DFA_STATES is refused, with its size", () => {
    // `a(a|b){12}$` must remember the last 13 characters: 2^13 states that no minimisation merges.
    const message = "it needs 8,194 automaton states once minimised, more than 4,096";
    expect(compiled("(a|b)*a(a|b){12}$")).toEqual({ ok: false, message });
    const second = { ok: false, message: expect.stringContaining("its alternative 2 needs 8,194") };
    expect(compiled("x|(a|b)*a(a|b){12}$")).toMatchObject(second);
  });

  it("an exponential construction stops at the intermediate cap", () => {
    const result = compiled("(a|b)*a(a|b){15}$");
    const cap = MAX_CONSTRUCTION_STATES.toLocaleString("en-US");
    expect(result).toMatchObject({ ok: false, message: expect.stringContaining(`more than ${cap} intermediate`) });
  });

  it("counted repeats of characters the prefix also uses stay small (older match attempts dominate newer ones)", () => {
    // The plain subset construction needed more than 400,000 states for the first one.
    expect(dfaOf("github_pat_\\w{82}").stateCount).toBeLessThan(100);
    expect(dfaOf("(a|b)*a(a|b){15}").stateCount).toBeLessThan(20);
    const issue = dfasOf("AKIA[0-9A-Z]{16}|ghp_[A-Za-z0-9]{36}|-----BEGIN [A-Z ]*PRIVATE KEY-----");
    expect(issue.reduce((sum, dfa) => sum + dfa.stateCount, 0)).toBeLessThan(MAX_DFA_STATES / 8);
  });

  it("optional repeats at either end of an alternative are trimmed: a search finds matches where it did", () => {
    const pattern = "[\\w.-]{0,50}?key=x{2,}|(?:\\s*)ab+";
    expect(dfasOf(pattern)).toEqual(dfasOf("key=xx|ab"));
    for (const text of ["key=x", "key=xxx", " abbb", "a b"]) {
      expect(automatonSearch(dfasOf(pattern), text)).toBe(new RegExp(pattern, "u").test(text));
    }
  });

  it("long counted repeats build: a state per count; large sets of attempts are not pruned pair by pair", () => {
    expect(dfaOf("[a-z]{1000}$").stateCount).toBe(1003);
    const dashed = dfaOf("\\d{1000}-\\d{1000}");
    expect(dashed.stateCount).toBe(2003);
    const digits = (ones: number, twos: number, between = "-"): string =>
      `${"1".repeat(ones)}${between}${"2".repeat(twos)}`;
    for (const text of [digits(1000, 1000), digits(999, 1001), digits(1500, 999, "-9-")]) {
      expect(dfaSearch(dashed, text)).toBe(/\d{1000}-\d{1000}/u.test(text));
    }
  });

  it("alternatives whose union DFA would pass the cap run as several DFAs, each within it", () => {
    const caps = { ...DEFAULT_CAPS, dfaStates: 48 };
    const result = compiled(SPLIT_PATTERN, caps);
    if (!result.ok) throw new Error(result.message);
    expect(result.dfas.length).toBeGreaterThan(1);
    for (const dfa of result.dfas) expect(dfa.stateCount).toBeLessThanOrEqual(48);
    for (const text of ["AKIAABCDEFGHIJKLMNOP", "ghp_abcdefghijkl", "xoxb-0123456789", "AKIAabc ghp_abc xoxb-1"]) {
      expect(automatonSearch(result.dfas, text), text).toBe(new RegExp(SPLIT_PATTERN, "u").test(text));
    }
  });

  it("the total over a pattern's DFAs is capped too", () => {
    const caps = { ...DEFAULT_CAPS, dfaStates: 48, patternStates: 50 };
    const message = expect.stringMatching(/^its \d automata need \d+ states in all, more than 50$/);
    const refusal = { ok: false, message };
    expect(compiled(SPLIT_PATTERN, caps)).toMatchObject(refusal);
  });

  it("encodes a DFA compactly: header, 256 class bytes, u16 transitions, one accept byte per state", () => {
    const dfa = dfaOf("(AKIA|ASIA)[0-9A-Z]{16}");
    const bytes = encodeDfa(dfa);
    const view = new DataView(bytes.buffer);
    expect(bytes.length).toBe(8 + 256 + 2 * dfa.stateCount * dfa.classCount + dfa.stateCount);
    expect([view.getUint16(0, true), view.getUint16(2, true), view.getUint16(4, true)]).toEqual([
      dfa.stateCount,
      dfa.classCount,
      dfa.start,
    ]);
    expect(view.getUint16(264 + 2 * 7, true)).toBe(dfa.transitions[7]);
  });

  it("encodes a pattern's DFAs as a u32 count and each DFA 4-aligned", () => {
    const dfas = [dfaOf("ab"), dfaOf("(AKIA|ASIA)[0-9A-Z]{16}")];
    const bytes = encodeAutomaton(dfas);
    const first = encodeDfa(dfas[0]!);
    const at = 4 + ((first.length + 3) & ~3);
    expect(new DataView(bytes.buffer).getUint32(0, true)).toBe(2);
    expect(bytes.subarray(4, 4 + first.length)).toEqual(first);
    const second = encodeDfa(dfas[1]!);
    expect(bytes.subarray(at, at + second.length)).toEqual(second);
    expect(bytes.length - at).toBe((second.length + 3) & ~3);
  });

  it("matching is linear: a pathological backtracking pattern over 1 MB runs in linear time", () => {
    // `x` keeps the nested stars (a leading optional repeat would be trimmed away).
    const dfa = dfaOf("x(a*)*(a|b)*c");
    // The fastest of a few runs: one GC pause or a busy machine must not decide the ratio.
    const time = (n: number): number => {
      const text = `x${"ab".repeat(n / 2)}`;
      let fastest = Infinity;
      for (let run = 0; run < 5; run++) {
        const start = performance.now();
        expect(dfaSearch(dfa, text)).toBe(false);
        fastest = Math.min(fastest, performance.now() - start);
      }
      return fastest;
    };
    const small = Math.max(time(100_000), 0.5);
    const large = time(1_000_000);
    expect(large / small).toBeLessThan(40);
  });
});

// ---- property: DFA search ≡ RegExp(p, "u").test(s) -------------------------------------------

const ALPHABET = ["a", "b", "c", "1", " ", "_", "\n", "\r", "é", "€", "😀", "\u2028"];
const textArb = fc.array(fc.constantFrom(...ALPHABET), { maxLength: 12 }).map((chars) => chars.join(""));

const atomArb = fc.constantFrom(
  "a",
  "b",
  "c",
  ".",
  "[ab]",
  "[^a]",
  "[a-c]",
  "[^\\n]",
  "\\d",
  "\\w",
  "\\s",
  "\\D",
  "é",
  "€",
  "😀",
  "[é-😀]",
  "\\u{1F600}",
);
const { pattern: patternArb } = fc.letrec<{ pattern: string; term: string; factor: string }>((tie) => ({
  pattern: fc.oneof(
    { weight: 3, arbitrary: tie("term") },
    fc.tuple(tie("term"), tie("term")).map(([a, b]) => `${a}|${b}`),
  ),
  term: fc
    .array(fc.oneof({ weight: 4, arbitrary: tie("factor") }, fc.constantFrom("^", "$")), { minLength: 1, maxLength: 3 })
    .map((fs) => fs.join("")),
  factor: fc
    .tuple(
      fc.oneof(
        { maxDepth: 2, depthIdentifier: "group" },
        { weight: 4, arbitrary: atomArb },
        tie("pattern").map((p) => `(${p})`),
        tie("pattern").map((p) => `(?:${p})`),
      ),
      fc.constantFrom("", "", "", "*", "+", "?", "{2}", "{1,3}", "{2,}", "*?", "+?", "{0,2}?"),
    )
    .map(([atom, quantifier]) => atom + quantifier),
}));

describe("property: DFA search ≡ new RegExp(p, 'u').test(s)", () => {
  it("holds for generated patterns and strings", () => {
    fc.assert(
      fc.property(patternArb, fc.array(textArb, { minLength: 1, maxLength: 8 }), (pattern, texts) => {
        const parsed = parseRegex(pattern);
        fc.pre(parsed.ok);
        if (!parsed.ok) return;
        const result = compileRegex(parsed.regex);
        fc.pre(result.ok);
        if (!result.ok) return;
        const re = new RegExp(pattern, "u");
        for (const text of texts) {
          expect(automatonSearch(result.dfas, text), `/${pattern}/ on ${JSON.stringify(text)}`).toBe(re.test(text));
        }
      }),
      { numRuns: 300 },
    );
  });

  it("holds when a cap as small as the largest alternative's DFA splits them over several DFAs", () => {
    const optionsArb = fc.array(patternArb, { minLength: 2, maxLength: 4 });
    const largest = (r: AutomatonResult): number =>
      r.ok ? Math.max(...r.dfas.map((dfa) => dfa.stateCount)) : Infinity;
    fc.assert(
      fc.property(optionsArb, fc.array(textArb, { minLength: 1, maxLength: 8 }), (options, texts) => {
        const pattern = options.map((option) => `(?:${option})`).join("|");
        const parsed = parseRegex(pattern);
        fc.pre(parsed.ok);
        if (!parsed.ok) return;
        const sizes = options.map((option) => largest(patternAutomaton(option)));
        const result = compileRegex(parsed.regex, { ...DEFAULT_CAPS, dfaStates: Math.max(...sizes) });
        fc.pre(result.ok);
        if (!result.ok) return;
        const re = new RegExp(pattern, "u");
        for (const text of texts) {
          expect(automatonSearch(result.dfas, text), `/${pattern}/ on ${JSON.stringify(text)}`).toBe(re.test(text));
        }
      }),
      { numRuns: 200 },
    );
  });
});

describe("property: the kept DFAs are minimal", () => {
  it("no two states of a DFA accept the same inputs (distinguished by a short input)", () => {
    fc.assert(
      fc.property(patternArb, (pattern) => {
        const parsed = parseRegex(pattern);
        fc.pre(parsed.ok);
        if (!parsed.ok) return;
        const result = compileRegex(parsed.regex);
        fc.pre(result.ok);
        if (!result.ok) return;
        for (const dfa of result.dfas) expect(distinguishableStates(dfa), `/${pattern}/`).toBe(dfa.stateCount);
      }),
      { numRuns: 200 },
    );
  });
});

/** The number of classes of states no input tells apart (a naive fixed point, independent of minimize.ts). */
function distinguishableStates(dfa: Dfa): number {
  const accepting = (s: number): boolean => s === 1 || dfa.acceptAtEnd[s] === 1;
  const distinct = new Set<string>();
  const pairKey = (p: number, q: number): string => (p < q ? `${p},${q}` : `${q},${p}`);
  for (let p = 0; p < dfa.stateCount; p++) {
    for (let q = p + 1; q < dfa.stateCount; q++) if (accepting(p) !== accepting(q)) distinct.add(pairKey(p, q));
  }
  for (let changed = true; changed;) {
    changed = false;
    for (let p = 0; p < dfa.stateCount; p++) {
      for (let q = p + 1; q < dfa.stateCount; q++) {
        if (distinct.has(pairKey(p, q))) continue;
        for (let c = 0; c < dfa.classCount; c++) {
          const [np, nq] = [dfa.transitions[p * dfa.classCount + c]!, dfa.transitions[q * dfa.classCount + c]!];
          if (np !== nq && distinct.has(pairKey(np, nq))) {
            distinct.add(pairKey(p, q));
            changed = true;
            break;
          }
        }
      }
    }
  }
  const classes = new Set<number>();
  for (let p = 0; p < dfa.stateCount; p++) {
    let representative = p;
    for (let q = 0; q < p; q++) if (!distinct.has(pairKey(p, q))) representative = Math.min(representative, q);
    classes.add(representative);
  }
  return classes.size;
}

describe("patternAutomaton", () => {
  it("memoises per pattern and reports parse errors and oversized automata as failures", () => {
    const first = patternAutomaton("(AKIA|ASIA)[0-9A-Z]{16}");
    expect(first.ok && first.dfas[0]!.stateCount).toBeLessThan(64);
    expect(patternAutomaton("(AKIA|ASIA)[0-9A-Z]{16}")).toBe(first);
    expect(patternAutomaton("(a").ok).toBe(false);
    const refusal = { ok: false, message: expect.stringContaining("too complex") };
    expect(patternAutomaton("(a|b)*a(a|b){15}$")).toMatchObject(refusal);
  });
});
