// `lower`/`upper` in the module are JavaScript's toLowerCase/toUpperCase (full, locale-independent
// Unicode case mapping): length-changing special cases (ß → SS, ﬃ → FFI, İ → i̇) and the contextual
// final sigma (Σ → ς at the end of a word) included. Each input carries the expected results, and
// the rules fire when the module disagrees, so a verdict with no violations means agreement.

import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { compileSource, expectSameVerdicts } from "./support.js";

const CASES = `constitution cases version "1.0.0"
schema { s: string, lo: string, up: string }
article 1 "Case mapping" {
  forbid lower_differs when lower(s) != lo message "lower({s}) is not {lo}"
  forbid upper_differs when upper(s) != up message "upper({s}) is not {up}"
  permit agrees when lower(s) == lo and upper(s) == up and lower(upper(s)) == lower(up) and upper(lower(s)) == upper(lo)
}
`;

const EXAMPLES = [
  "ß",
  "straße",
  "ﬃ",
  "ﬀ ﬁ ﬂ ﬄ ﬅ ﬆ",
  "İstanbul",
  "ΟΔΟΣ ΣΑΣ",
  "Σ",
  "aΣb",
  "ŉ",
  "ǰ",
  "ΐ ΰ",
  "ᾀ ᾳ ᾷ ῼ",
  "և",
  "ﬓ",
  "ΑΣ.",
  "ΑΣ'Β",
  "Α\u0301Σ\u0301",
  "ΑΣ\u0301 Β",
  "1Σ",
  "Σa",
  "ΣΣ",
  "ΑΣΣ",
  "ΑΣ😀",
  "Ⓐⓩ",
  "ǅǈǋ",
  "ẞ",
  "ı",
  "ſ",
  "K",
  "Ω",
  "𐐀𐐨",
  "𞤀𞤢",
  "Ⱥ Ⱦ ɐ ȿ",
  "",
  "plain ASCII",
  "x".repeat(40) + "Σ",
  "Α" + "\u0301".repeat(40) + "Σ",
];

function input(s: string): { s: string; lo: string; up: string } {
  return { s, lo: s.toLowerCase(), up: s.toUpperCase() };
}

function agrees(verdict: unknown): boolean {
  return (verdict as { violations: unknown[] }).violations.length === 0;
}

describe("case mapping", () => {
  const compiled = compileSource(CASES);
  const { engine } = compiled;

  it("special cases and final sigma come out as in JavaScript, in every engine", () => {
    expect("ΟΔΟΣ ΣΑΣ".toLowerCase()).toBe("οδος σας");
    for (const s of EXAMPLES) {
      expect(agrees(engine.evaluate(input(s))), JSON.stringify(s)).toBe(true);
      expectSameVerdicts(compiled, input(s));
    }
  });

  it("a wrong expectation is caught (the rules really compare)", () => {
    const verdict = engine.evaluate({ s: "straße", lo: "straße", up: "STRAßE" }) as { violations: { code: string }[] };
    expect(verdict.violations.map((v) => v.code)).toEqual(["upper_differs"]);
    expectSameVerdicts(compiled, { s: "ΟΔΟΣ", lo: "οδοσ", up: "ΟΔΟΣ" });
  });

  it("every code point maps as in JavaScript (all of Unicode, 256 at a time)", () => {
    const failures: string[] = [];
    for (let base = 0; base < 0x110000; base += 256) {
      let s = "";
      for (let cp = base; cp < base + 256; cp++) if (cp < 0xd800 || cp > 0xdfff) s += String.fromCodePoint(cp);
      if (s === "" || agrees(engine.evaluate(input(s)))) continue;
      for (const ch of s)
        if (!agrees(engine.evaluate(input(ch)))) failures.push(`U+${ch.codePointAt(0)!.toString(16).toUpperCase()}`);
    }
    expect(failures).toEqual([]);
  });

  it("every code point is cased / case-ignorable as in JavaScript's final-sigma rule", () => {
    // "ΑXΣ" sees X before the sigma, "ΑΣX" after it; a space (neither cased nor ignorable) ends each word.
    const failures: string[] = [];
    for (let base = 0; base < 0x110000; base += 256) {
      const chars: string[] = [];
      for (let cp = base; cp < base + 256; cp++) if (cp < 0xd800 || cp > 0xdfff) chars.push(String.fromCodePoint(cp));
      for (const word of [(x: string) => `Α${x}Σ`, (x: string) => `ΑΣ${x}`]) {
        if (chars.length === 0 || agrees(engine.evaluate(input(chars.map(word).join(" "))))) continue;
        for (const x of chars)
          if (!agrees(engine.evaluate(input(word(x)))))
            failures.push(word(`U+${x.codePointAt(0)!.toString(16).toUpperCase()}`));
      }
    }
    expect(failures).toEqual([]);
  });

  it("property: lower/upper in the module ≡ JavaScript (graphemes and full Unicode)", () => {
    const text = fc.oneof(
      fc.string({ unit: "grapheme" }),
      fc.string({ unit: "binary" }),
      fc
        .array(
          fc.oneof(
            fc.constantFrom("Σ", "σ", "ς", "Α", "a", " ", ".", "'", "\u0301", "ß", "İ", "ﬃ", "ŉ", "1", "😀"),
            fc.string({ unit: "binary", maxLength: 1 }),
          ),
          { maxLength: 12 },
        )
        .map((parts) => parts.join("")),
    );
    fc.assert(
      fc.property(text, (s) => {
        expect(agrees(engine.evaluate(input(s))), JSON.stringify(s)).toBe(true);
        expect(agrees(engine.evaluateJson(JSON.stringify(input(s)))), JSON.stringify(s)).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });
});
