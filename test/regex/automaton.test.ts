import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { parseRegex } from "../../compiler/regex/parse.js";
import { compileRegexDfa, encodeDfa, MAX_DFA_STATES, patternDfa, type Dfa } from "../../compiler/regex/automaton.js";
import { dfaSearch } from "../../compiler/regex/dfa-search.js";

function dfaOf(pattern: string): Dfa {
  const parsed = parseRegex(pattern);
  if (!parsed.ok) throw new Error(`test pattern /${pattern}/ does not parse: ${parsed.message}`);
  const compiled = compileRegexDfa(parsed.regex);
  if (!compiled.ok) throw new Error(`test pattern /${pattern}/ does not compile: ${compiled.message}`);
  return compiled.dfa;
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

describe("regex search automaton", () => {
  it.each(CASES)("/%s/ on %j agrees with RegExp", (pattern, text) => {
    expect(dfaSearch(dfaOf(pattern), text)).toBe(new RegExp(pattern, "u").test(text));
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

  it("reports a pattern whose DFA would exceed the state cap", () => {
    const parsed = parseRegex("(a|b)*a(a|b){15}");
    if (!parsed.ok) throw new Error(parsed.message);
    const compiled = compileRegexDfa(parsed.regex);
    expect(compiled.ok).toBe(false);
    if (!compiled.ok) expect(compiled.message).toContain(`more than ${MAX_DFA_STATES} automaton states`);
  });

  it("encodes the table compactly: header, 256 class bytes, u16 transitions, one accept byte per state", () => {
    const dfa = dfaOf("(AKIA|ASIA)[0-9A-Z]{16}");
    const bytes = encodeDfa(dfa);
    const view = new DataView(bytes.buffer);
    expect(bytes.length).toBe(8 + 256 + 2 * dfa.stateCount * dfa.classCount + dfa.stateCount);
    expect([view.getUint16(0, true), view.getUint16(2, true), view.getUint16(4, true)]).toEqual([dfa.stateCount, dfa.classCount, dfa.start]);
    expect(view.getUint16(264 + 2 * 7, true)).toBe(dfa.transitions[7]);
  });

  it("matching is linear: a pathological backtracking pattern over 1 MB runs in linear time", () => {
    const dfa = dfaOf("(a*)*(a|b)*c");
    const time = (n: number): number => {
      const text = "ab".repeat(n / 2);
      const start = performance.now();
      expect(dfaSearch(dfa, text)).toBe(false);
      return performance.now() - start;
    };
    time(100_000);
    const small = Math.max(time(100_000), 0.5);
    const large = time(1_000_000);
    expect(large / small).toBeLessThan(40);
  });
});

// ---- property: DFA search ≡ RegExp(p, "u").test(s) -------------------------------------------

const ALPHABET = ["a", "b", "c", "1", " ", "_", "\n", "\r", "é", "€", "😀", "\u2028"];
const textArb = fc.array(fc.constantFrom(...ALPHABET), { maxLength: 12 }).map((chars) => chars.join(""));

const atomArb = fc.constantFrom("a", "b", "c", ".", "[ab]", "[^a]", "[a-c]", "[^\\n]", "\\d", "\\w", "\\s", "\\D", "é", "€", "😀", "[é-😀]", "\\u{1F600}");
const { pattern: patternArb } = fc.letrec<{ pattern: string; term: string; factor: string }>((tie) => ({
  pattern: fc.oneof(
    { weight: 3, arbitrary: tie("term") },
    fc.tuple(tie("term"), tie("term")).map(([a, b]) => `${a}|${b}`),
  ),
  term: fc.array(fc.oneof({ weight: 4, arbitrary: tie("factor") }, fc.constantFrom("^", "$")), { minLength: 1, maxLength: 3 }).map((fs) => fs.join("")),
  factor: fc.tuple(
    fc.oneof({ maxDepth: 2, depthIdentifier: "group" }, { weight: 4, arbitrary: atomArb }, tie("pattern").map((p) => `(${p})`), tie("pattern").map((p) => `(?:${p})`)),
    fc.constantFrom("", "", "", "*", "+", "?", "{2}", "{1,3}", "{2,}", "*?", "+?", "{0,2}?"),
  ).map(([atom, quantifier]) => atom + quantifier),
}));

describe("property: DFA search ≡ new RegExp(p, 'u').test(s)", () => {
  it("holds for generated patterns and strings", () => {
    fc.assert(
      fc.property(patternArb, fc.array(textArb, { minLength: 1, maxLength: 8 }), (pattern, texts) => {
        const parsed = parseRegex(pattern);
        fc.pre(parsed.ok);
        if (!parsed.ok) return;
        const compiled = compileRegexDfa(parsed.regex);
        fc.pre(compiled.ok);
        if (!compiled.ok) return;
        const re = new RegExp(pattern, "u");
        for (const text of texts) expect(dfaSearch(compiled.dfa, text), `/${pattern}/ on ${JSON.stringify(text)}`).toBe(re.test(text));
      }),
      { numRuns: 300 },
    );
  });
});

describe("patternDfa", () => {
  it("memoises per pattern and reports parse errors and oversized automata as failures", () => {
    const first = patternDfa("(AKIA|ASIA)[0-9A-Z]{16}");
    expect(first.ok && first.dfa.stateCount).toBeLessThan(64);
    expect(patternDfa("(AKIA|ASIA)[0-9A-Z]{16}")).toBe(first);
    expect(patternDfa("(a").ok).toBe(false);
    expect(patternDfa("(a|b)*a(a|b){15}")).toMatchObject({ ok: false, message: expect.stringContaining("too complex") });
  });
});
