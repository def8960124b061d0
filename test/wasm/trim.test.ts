// `trim` is JavaScript's String.prototype.trim in every engine: the reference interpreter, the IR
// interpreter and the WASM module (its `musgo_trim` primitive works on UTF-8 bytes). Each input
// carries the expected results, and the rules fire when an engine disagrees, so a verdict with no
// violations means agreement.

import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { evaluateDecisionIr } from "../../compiler/ir/eval.js";
import { planConstitution } from "../../compiler/lower/planner.js";
import { evaluateDecision } from "../../compiler/interp/index.js";
import { compileSource, expectSameVerdicts, type CompiledConstitution } from "./support.js";

const TRIMS = `constitution trims version "1.0.0"
schema { s: string, t: string, n: number, items: list<{ s: string, t: string }> }
article 1 "Trim" {
  forbid trim_differs when trim(s) != t message "trim({s}) is not {t}"
  forbid count_differs when count(trim(s)) != n
  forbid item_differs when any x in items: trim(x.s) != x.t
  permit agrees when trim(s) == t
  permit no_leading_space when starts_with(s, trim(s))
}
`;

/** Every code point JavaScript's `trim` removes (WhiteSpace and LineTerminator), from this Node. */
const TRIMMED = allCodePoints().filter((ch) => ch.trim() === "");

/** Code points that look like white space but are not trimmed. */
const NOT_TRIMMED = ["\u200b", "\u180e", "\u2060", "\u0085", "\u00ad", "\u200c", "\u3164", "x", "😀"];

function allCodePoints(): string[] {
  const chars: string[] = [];
  for (let cp = 0; cp < 0x110000; cp++) if (cp < 0xd800 || cp > 0xdfff) chars.push(String.fromCodePoint(cp));
  return chars;
}

function input(s: string, items: string[] = []): unknown {
  return { s, t: s.trim(), n: [...s.trim()].length, items: items.map((item) => ({ s: item, t: item.trim() })) };
}

function agrees(verdict: unknown): boolean {
  return (verdict as { violations: unknown[] }).violations.length === 0;
}

/** Interpreter, IR interpreter and module (fast path and opa_eval) give the same verdict, and it is agreement. */
function expectAllAgree(compiled: CompiledConstitution, value: unknown): void {
  const ir = planConstitution(compiled.checked);
  const verdict = evaluateDecision(compiled.checked, value);
  expect(evaluateDecisionIr(ir, value), "IR interpreter").toEqual(verdict);
  expectSameVerdicts(compiled, value);
  expect(agrees(verdict), JSON.stringify(value)).toBe(true);
}

describe("trim", () => {
  const compiled = compileSource(TRIMS);
  const { engine } = compiled;

  it("knows the code points JavaScript trims (ECMAScript WhiteSpace and LineTerminator)", () => {
    const spaces = Array.from({ length: 11 }, (_, i) => (0x2000 + i).toString(16));
    expect(TRIMMED.map((ch) => ch.codePointAt(0)!.toString(16))).toEqual([
      "9",
      "a",
      "b",
      "c",
      "d",
      "20",
      "a0",
      "1680",
      ...spaces,
      "2028",
      "2029",
      "202f",
      "205f",
      "3000",
      "feff",
    ]);
  });

  it("strips each trimmed code point at either end, and keeps it inside, in every engine", () => {
    for (const ws of TRIMMED) {
      const strings = [ws, `${ws}a`, `a${ws}`, `${ws}${ws}a${ws}b${ws}${ws}`, `😀${ws}é`];
      for (const s of strings) expectAllAgree(compiled, input(s));
    }
  });

  it("keeps code points that are not white space for JavaScript (U+200B, U+180E, U+0085, …)", () => {
    for (const ch of NOT_TRIMMED) for (const s of [ch, ` ${ch} `, `${ch}\u3000`]) expectAllAgree(compiled, input(s));
  });

  it("a wrong expectation is caught (the rules really compare)", () => {
    const wrong = { s: " a ", t: " a ", n: 1, items: [{ s: "\u2029b", t: "\u2029b" }] };
    const verdict = engine.evaluate(wrong) as { violations: { code: string }[] };
    expect(verdict.violations.map((v) => v.code)).toEqual(["trim_differs", "item_differs"]);
    expectSameVerdicts(compiled, { s: "\u3000", t: "", n: 1, items: [] });
  });

  it("every code point, alone and around a word, trims as in JavaScript in the module (256 at a time)", () => {
    const chars = allCodePoints();
    const failures: string[] = [];
    for (let i = 0; i < chars.length; i += 256) {
      const items = chars.slice(i, i + 256).flatMap((ch) => [ch, `${ch}x${ch}`]);
      if (agrees(engine.evaluate(input("", items)))) continue;
      for (const ch of chars.slice(i, i + 256)) {
        if (!agrees(engine.evaluate(input(ch, [`${ch}x${ch}`])))) failures.push(`U+${ch.codePointAt(0)!.toString(16)}`);
      }
    }
    expect(failures).toEqual([]);
  });

  it("property: trim in interpreter ≡ IR interpreter ≡ module ≡ JavaScript on strings around white space", () => {
    const piece = fc.oneof(
      fc.constantFrom(...TRIMMED),
      fc.constantFrom(...NOT_TRIMMED),
      fc.string({ unit: "grapheme", maxLength: 3 }),
      fc.string({ unit: "binary", maxLength: 2 }),
    );
    const text = fc.array(piece, { maxLength: 10 }).map((parts) => parts.join(""));
    const property = fc.property(text, fc.array(text, { maxLength: 3 }), (s, items) => {
      expectAllAgree(compiled, input(s, items));
    });
    fc.assert(property, { numRuns: 300 });
  });
});
