// PBT: the syntax stage is total. On any text it returns (never throws), never reports an internal
// error (MG9001, which would be a bug caught at the boundary), and keeps spans inside the text.

import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { hasErrors } from "../../compiler/diagnostics/diagnostic.js";
import { formatFile } from "../../compiler/format/index.js";
import { parseFile } from "../../compiler/syntax/index.js";

const RUNS = { numRuns: 400 };

function checkTotal(text: string): void {
  const { file, diagnostics } = parseFile({ path: "fuzz.constitution", text });
  expect(diagnostics.filter((d) => d.code === "MG9001")).toEqual([]);
  for (const d of diagnostics) {
    expect(d.span.start.offset).toBeGreaterThanOrEqual(0);
    expect(d.span.end.offset).toBeLessThanOrEqual(text.length);
  }
  // Whatever parses cleanly can be formatted.
  if (!hasErrors(diagnostics)) expect(typeof formatFile(file)).toBe("string");
}

const VOCABULARY = [
  ..."constitution version enum schema let article permit forbid when remedy appeal message enforcement advisory mandatory registration namespace grant test input expect and or not in has matches true false null set list any all limit per to second minute hour deny verdict action_taken".split(
    " ",
  ),
  ..."{ } [ ] ( ) , : . ? < <= > >= == != + - * = @ !".split(" "),
  "x",
  "agent",
  "VII",
  "IIII",
  "0",
  "12",
  "-3",
  "1.",
  "01",
  "3.5e2",
  '"s"',
  '"{a.b}"',
  '"{x"',
  '"\\q"',
  '"open',
  "// c\n",
  "/* c */",
  "/* open",
  "\n",
];

describe("the parser never throws", () => {
  test("PBT on arbitrary strings", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), (text) => checkTotal(text)),
      RUNS,
    );
  });

  test("PBT on arbitrary Unicode (full code-point range)", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary", maxLength: 100 }), (text) => checkTotal(text)),
      RUNS,
    );
  });

  test("PBT on token soup (keywords, punctuation, broken literals)", () => {
    const soup = fc.array(fc.constantFrom(...VOCABULARY), { maxLength: 60 }).map((tokens) => tokens.join(" "));
    fc.assert(
      fc.property(soup, (text) => checkTotal(text)),
      RUNS,
    );
  });

  test("PBT on well-formed files with one token deleted", () => {
    const text = `constitution c version "1.0.0"
article VII "A" {
  forbid f when a.b == "x" and not has a.c remedy warn appeal "p" message "{a.b}"
  permit when any x in a.list: x > -3
  limit l per a.id to 5 per minute
}
registration { grant "g" when "c" in a.caps }
test "t" { input {"a": [1, {"b": null}]} expect deny f action_taken "warned" article VII }
`;
    const words = text.split(/(\s+)/);
    fc.assert(
      fc.property(fc.nat({ max: words.length - 1 }), (i) => checkTotal(words.filter((_, j) => j !== i).join(""))),
    );
  });
});
