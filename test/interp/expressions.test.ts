// Expression semantics (docs/language.md, "Expressions"), one condition at a time: each case compiles
// `permit p when <condition>` and reads whether it held from the verdict.

import { describe, expect, it } from "vitest";
import { evaluateDecision } from "../../compiler/interp/index.js";
import { compareCodePoints } from "../../compiler/interp/values.js";
import type { CheckedConstitution } from "../../compiler/check/model.js";
import { compileText } from "./compile.js";

const PRELUDE = `constitution expr version "1.0.0"
enum Level { low < mid < high }
enum Color { red, green }
schema {
  s: string,
  t: string,
  n: number,
  m: number,
  level: Level,
  color: Color,
  tags: set<string>,
  items: list<string>,
  opt?: string,
  rec?: { inner?: string, x: number },
  people: list<{ name: string, age?: number }>,
}
let classified = {"board_minutes", "hr_records"}
`;

const BASE = { s: "hello", t: "", n: 0, m: 0, level: "mid", color: "red", tags: [], items: [], people: [] };

const compiled = new Map<string, CheckedConstitution>();
function holds(condition: string, input: Record<string, unknown> = {}): boolean {
  let c = compiled.get(condition);
  if (c === undefined) {
    c = compileText(`${PRELUDE}article I "Case" { permit p when ${condition} }`);
    compiled.set(condition, c);
  }
  const verdict = evaluateDecision(c, { ...BASE, ...input });
  expect(verdict.error).toBeUndefined();
  return verdict.permitted;
}

type Case = [condition: string, input: Record<string, unknown>, expected: boolean];

const cases: Record<string, Case[]> = {
  "string ordering is by Unicode code point": [
    // U+1F600 is stored as surrogates D83D DE00, below U+FF61 in UTF-16 code units but above it as a code point.
    ["s > t", { s: "😀", t: "\uff61" }, true],
    ["s < t", { s: "😀", t: "\uff61" }, false],
    ["s < t", { s: "a", t: "b" }, true],
    ["s < t", { s: "", t: "a" }, true],
    ["s >= t", { s: "ab", t: "a" }, true],
    ["s <= t", { s: "ab", t: "ab" }, true],
  ],
  "ordered enums compare by declaration order": [
    ["level < high", { level: "mid" }, true],
    ["level >= Level.mid", { level: "low" }, false],
    ["level > low and level <= mid", { level: "mid" }, true],
    ["color == red", { color: "red" }, true],
    ["color != Color.green", { color: "green" }, false],
    ["color in {red, green}", { color: "green" }, true],
  ],
  "numbers are IEEE-754 doubles": [
    ["n == -0", { n: 0 }, true],
    ["n + m == 0.30000000000000004", { n: 0.1, m: 0.2 }, true],
    ["n * m - 1 == 5", { n: 2, m: 3 }, true],
    ["n < m", { n: -1e3, m: 3.5 }, true],
  ],
  "structural equality and membership": [
    ['tags == {"b", "a"}', { tags: ["a", "b", "a"] }, true],
    ['tags == {"a"}', { tags: ["a", "b"] }, false],
    ['items == ["a", "b"]', { items: ["b", "a"] }, false],
    ['items == ["b", "a"]', { items: ["b", "a"] }, true],
    ['"x" in tags', { tags: ["y", "x"] }, true],
    ['"ell" in s', { s: "hello" }, true],
    ['"le" in s', { s: "hello" }, false],
    ["s in classified", { s: "hr_records" }, true],
  ],
  "count counts distinct set elements, list elements and code points": [
    ["count(tags) == 2", { tags: ["a", "a", "b"] }, true],
    ["count(items) == 3", { items: ["a", "a", "b"] }, true],
    ["count(s) == 2", { s: "😀a" }, true],
    ["count(tags) == 0", { tags: [] }, true],
  ],
  "has tests every optional component of the path": [
    ["has opt", {}, false],
    ["has opt", { opt: null }, false],
    ["has opt", { opt: "" }, true],
    ["not has opt", {}, true],
    ["has rec.inner", { rec: { x: 1 } }, false],
    ["has rec.inner", {}, false],
    ["has rec.inner", { rec: { x: 1, inner: "i" } }, true],
    ['has opt and opt == "v"', { opt: "v" }, true],
  ],
  "matches is an unanchored search": [
    ['s matches "abc"', { s: "xxabcxx" }, true],
    ['s matches "^abc"', { s: "xxabcxx" }, false],
    ['s matches "^.$"', { s: "😀" }, true],
    ['s matches "[0-9]{3}"', { s: "a12b" }, false],
  ],
  "string builtins": [
    ['contains(s, "ell")', { s: "hello" }, true],
    ['starts_with(s, "he")', { s: "hello" }, true],
    ['ends_with(s, "he")', { s: "hello" }, false],
    ['lower(s) == "hello"', { s: "HeLLo" }, true],
    ['upper(s) == "STRASSE"', { s: "straße" }, true],
    ["count(lower(s)) == 2", { s: "\u0130" }, true],
    ['trim(s) == "a b"', { s: "\u00a0\t a b\u2028\u3000" }, true],
    ['trim(s) == ""', { s: " \n\ufeff\r" }, true],
    ["count(trim(s)) == 2", { s: "\u200b x " }, false],
    ["count(trim(s)) == 3", { s: "\u200b x " }, true],
  ],
  "quantifiers: any is false and all is true on empty collections": [
    ['any p in people: p.name == "bob"', { people: [{ name: "al" }, { name: "bob" }] }, true],
    ['any p in people: p.name == "bob"', { people: [] }, false],
    ["all p in people: has p.age and p.age > 18", { people: [{ name: "a", age: 30 }, { name: "b" }] }, false],
    ["all p in people: has p.age and p.age > 18", { people: [{ name: "a", age: 30 }] }, true],
    ["all p in people: has p.age and p.age > 18", { people: [] }, true],
    ['any x in tags: starts_with(x, "ad")', { tags: ["user", "admin"] }, true],
  ],
  "boolean connectives": [
    ["n == 1 or n == 2", { n: 2 }, true],
    ["n == 1 and n == 2", { n: 1 }, false],
    ["not (n == 1)", { n: 1 }, false],
  ],
};

for (const [title, table] of Object.entries(cases)) {
  describe(title, () => {
    it.each(table)("%s on %j is %s", (condition, input, expected) => {
      expect(holds(condition, input)).toBe(expected);
    });
  });
}

describe("compareCodePoints", () => {
  it("disagrees with UTF-16 order exactly where surrogates meet U+E000–U+FFFF", () => {
    expect("😀" < "\uff61").toBe(true);
    expect(compareCodePoints("😀", "\uff61")).toBe(1);
    expect(compareCodePoints("a😀", "a😀")).toBe(0);
    expect(compareCodePoints("a", "ab")).toBe(-1);
    expect(compareCodePoints("😀", "😁")).toBe(-1);
  });
});
