// Sets in the module: `count` (distinct elements) and set equality agree with the interpreter for
// every element type, on small sets (compared pair by pair) and large ones (hashed and sorted), and
// stay O(n log n) on inputs with hundreds of thousands of elements.

import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { loadPolicy } from "@open-policy-agent/opa-wasm";
import { evaluateDecision } from "../../compiler/interp/index.js";
import { compileSource, expectSameVerdicts } from "./support.js";

/** Set fields by element type; each has a twin `<name>2` to compare with. */
const ELEMENT_TYPES = {
  strings: "string",
  numbers: "number",
  bools: "bool",
  colors: "Color",
  lists: "list<string>",
  records: "{ a: string, b?: number }",
  nested: "set<string>",
} as const;
type SetField = keyof typeof ELEMENT_TYPES;
const FIELDS = Object.keys(ELEMENT_TYPES) as SetField[];

// Each field gets: the counts of the twins agree, the twins are equal, and the count is above `n`.
const ALL_TYPES = `constitution sets version "1.0.0"
enum Color { red, green, blue }
schema {
  n: number,
${FIELDS.map((f) => `  ${f}: set<${ELEMENT_TYPES[f]}>,\n  ${f}2: set<${ELEMENT_TYPES[f]}>,`).join("\n")}
}
article 1 "Counts" {
${FIELDS.map((f) => `  forbid ${f}_same_count when count(${f}) == count(${f}2)\n  forbid ${f}_above when count(${f}) > n`).join("\n")}
}
article 2 "Equality" {
${FIELDS.map((f) => `  forbid ${f}_equal when ${f} == ${f}2`).join("\n")}
}
article 3 "NaN equals nothing" {
  forbid nan_count when count({n * n - n * n, n * n - n * n, ${range(16).join(", ")}}) == 18
  forbid nan_equal when {n * n - n * n, ${range(17).join(", ")}} == {${range(17).join(", ")}, n * n - n * n}
}
`;

function range(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i);
}

const SMALL_STRINGS = ["", "a", "b", "é", "😀", "a b", "A"];

/** Elements drawn from small pools, so sets repeat them; records and nested sets have several spellings of equal values. */
const ELEMENTS: Record<SetField, fc.Arbitrary<unknown>> = {
  strings: fc.oneof(fc.constantFrom(...SMALL_STRINGS), fc.string({ maxLength: 4 })),
  numbers: fc.constantFrom(0, -0, 1, -1, 1.5, 0.1 + 0.2, 0.3, 1e300, -1e300, 5e-324, 2 ** 53, 2 ** 53 + 2),
  bools: fc.boolean(),
  colors: fc.constantFrom("red", "green", "blue"),
  lists: fc.array(fc.constantFrom(...SMALL_STRINGS.slice(0, 3)), { maxLength: 3 }),
  records: fc.record(
    { a: fc.constantFrom("x", "y", "z"), b: fc.constantFrom(null, 1, 2, -0, 0), extra: fc.constantFrom(1, "other") },
    { requiredKeys: ["a"] },
  ),
  nested: fc.array(fc.constantFrom(...SMALL_STRINGS.slice(0, 3)), { maxLength: 4 }),
};

/** A JSON array for a set and its twin: the same elements in another order with other repetitions, a near miss, or unrelated. */
function twinSets(element: fc.Arbitrary<unknown>): fc.Arbitrary<[unknown[], unknown[]]> {
  return fc
    .tuple(
      fc.array(element, { maxLength: 40, size: "max" }),
      fc.array(fc.nat(), { maxLength: 30, size: "max" }),
      fc.array(fc.nat(), { maxLength: 30, size: "max" }),
      fc.nat(3),
      fc.array(element, { maxLength: 40, size: "max" }),
    )
    .map(([base, extra, extra2, mode, unrelated]) => {
      const repeat = (picks: number[]) => (base.length === 0 ? [] : picks.map((p) => base[p % base.length]));
      const set = [...base, ...repeat(extra)];
      const twin = [...repeat(extra2), ...base].reverse();
      if (mode === 1) return [set, twin];
      if (mode === 2) return [set, twin.slice(1)];
      if (mode === 3) return [set, [...twin, ...unrelated.slice(0, 1)]];
      return [set, unrelated];
    });
}

const inputArb = fc.tuple(fc.nat(40), ...FIELDS.map((f) => twinSets(ELEMENTS[f]))).map(
  ([n, ...twins]) =>
    Object.fromEntries([
      ["n", n],
      ...FIELDS.flatMap((f, i) => [
        [f, twins[i]![0]],
        [`${f}2`, twins[i]![1]],
      ]),
    ]) as Record<string, unknown>,
);

describe("sets", () => {
  it("property: count and equality of sets of every element type agree with the interpreter, below and above the pairwise size", () => {
    const compiled = compileSource(ALL_TYPES);
    fc.assert(
      fc.property(inputArb, (input) => expectSameVerdicts(compiled, input)),
      { numRuns: 300 },
    );
  });

  it("NaN elements (from Infinity - Infinity) are distinct from everything, themselves included", () => {
    const compiled = compileSource(ALL_TYPES);
    const empty = Object.fromEntries(
      FIELDS.flatMap((f) => [
        [f, []],
        [`${f}2`, []],
      ]),
    );
    const codes = (n: number) =>
      compiled.engine
        .evaluate({ ...empty, n })
        .violations.map((v) => v.code)
        .filter((c) => c.startsWith("nan_"));
    // n * n - n * n is NaN for n = 1e300 and 0 for n = 2.
    expect([codes(1e300), codes(2)]).toEqual([["nan_count"], ["nan_equal"]]);
    for (const n of [1e300, 2]) expectSameVerdicts(compiled, { ...empty, n });
  });

  const BIG = `constitution big version "1.0.0"
schema { n: number, tags: set<string>, others: set<string> }
article 1 "Sets" {
  forbid counted when count(tags) == n
  forbid equal when tags == others
}
`;

  it("property: sets of thousands of strings and numbers (sorted by hash with radix passes, many elements repeated) count and compare as in the interpreter", () => {
    const compiled = compileSource(`constitution radix version "1.0.0"
schema { nt: number, ni: number, tags: set<string>, others: set<string>, ids: set<number>, more: set<number> }
article 1 "Sets" {
  forbid tags_counted when count(tags) == nt
  forbid ids_counted when count(ids) == ni
  forbid tags_equal when tags == others
  forbid ids_equal when ids == more
}
`);
    // Pools from a few elements (long runs of equal hashes) to thousands (few repeats); numbers include -0 and 0.
    const large = <T>(element: (i: number) => T) =>
      fc
        .tuple(fc.integer({ min: 1, max: 6000 }), fc.integer({ min: 17, max: 6000 }), fc.nat(), fc.boolean())
        .map(([pool, length, seed, twin]) => {
          const items = Array.from({ length }, (_, i) => element(((i + 1) * ((seed % 7919) + 1)) % pool));
          return [items, twin ? [...items].reverse().slice(seed % 2) : items.map((_, i) => element(i % pool))] as const;
        });
    const arb = fc.tuple(
      large((i) => `t${i}`),
      large((i) => (i === 0 ? -0 : i % 3 === 0 ? i * 1e-3 : i)),
      fc.nat(1),
      fc.nat(1),
    );
    // The counts are compared with the exact distinct count, or one more.
    const distinct = (items: readonly unknown[]) => new Set(items).size;
    fc.assert(
      fc.property(arb, ([[tags, others], [ids, more], dt, di]) =>
        expectSameVerdicts(compiled, { nt: distinct(tags) + dt, ni: distinct(ids) + di, tags, others, ids, more }),
      ),
      { numRuns: 40 },
    );
  }, 120_000);

  it("200,000 distinct strings with duplicates: count and equality are exact and fast, and agree with the interpreter", () => {
    const compiled = compileSource(BIG);
    const distinct = 200_000;
    const tags = Array.from({ length: distinct }, (_, i) => `tag-${(i * 7919) % distinct}`);
    const duplicates = Array.from({ length: 50_000 }, (_, i) => `tag-${(i * 104729) % distinct}`);
    const big = [...tags, ...duplicates];
    const others = [...duplicates.slice(0, 1000), ...tags].reverse();
    const cases: [input: unknown, codes: string[]][] = [
      [{ n: distinct, tags: big, others }, ["counted", "equal"]],
      [{ n: distinct + 1, tags: big, others: others.slice(1) }, []],
      [{ n: distinct, tags: big, others: [...others, "tag-x"] }, ["counted"]],
    ];
    for (const [input, codes] of cases) {
      const expected = evaluateDecision(compiled.checked, input);
      expect(expected.violations.map((v) => v.code)).toEqual(codes);
      expect(compiled.engine.evaluate(input)).toEqual(expected);
      expect(compiled.engine.evaluateJson(JSON.stringify(input))).toEqual(expected);
    }
  }, 120_000);

  it("20,000 distinct records, lists and nested sets spelled several ways: count is exact", () => {
    const compiled = compileSource(`constitution big version "1.0.0"
schema { n: number, records: set<{ a: string, b?: number }>, lists: set<list<string>>, nested: set<set<string>> }
article 1 "Sets" {
  forbid records_counted when count(records) == n
  forbid lists_counted when count(lists) == n
  forbid nested_counted when count(nested) == n
}
`);
    const distinct = 20_000;
    const ids = range(distinct).map((i) => (i * 7919) % distinct);
    // Equal spellings: b absent or null, extra fields, keys reordered; nested sets reordered and repeated.
    const records = ids.flatMap<Record<string, unknown>>((i) =>
      i % 2 === 0
        ? [{ a: `r${i}` }, { a: `r${i}`, b: null, extra: i }]
        : [
            { a: `r${i >> 1}`, b: i },
            { b: i, a: `r${i >> 1}` },
          ],
    );
    const lists = ids.map((i) => [`l${i % 100}`, `l${Math.floor(i / 100)}`]);
    const nested = ids.flatMap((i) => [
      [`s${i % 100}`, `t${Math.floor(i / 100)}`],
      [`t${Math.floor(i / 100)}`, `s${i % 100}`, `s${i % 100}`],
    ]);
    const expected = (counted: boolean[]) =>
      evaluateDecision(compiled.checked, {
        n: 1,
        records: counted[0] ? [{ a: "x" }] : [],
        lists: counted[1] ? [[]] : [],
        nested: counted[2] ? [[]] : [],
      });
    expect(compiled.engine.evaluate({ n: distinct, records, lists, nested })).toEqual(expected([true, true, true]));
    expect(compiled.engine.evaluateJson(JSON.stringify({ n: distinct + 1, records, lists, nested }))).toEqual(
      expected([false, false, false]),
    );
  }, 120_000);

  it("a 10 MB input of 500,000 set elements through @open-policy-agent/opa-wasm: a normal verdict, 3× without memory growth", async () => {
    const compiled = compileSource(BIG);
    const tags = Array.from({ length: 500_000 }, (_, i) => `t${i % 400_000}`);
    const input = { n: 400_000, tags, others: [...tags].reverse() };
    const policy = await loadPolicy(compiled.wasm);
    const expected = [{ result: evaluateDecision(compiled.checked, { n: 1, tags: ["x"], others: ["x"] }) }];
    expect(policy.evaluate(input)).toEqual(expected);
    const size = policy.mem.buffer.byteLength;
    for (let i = 0; i < 2; i++) expect(policy.evaluate(input)).toEqual(expected);
    expect(policy.mem.buffer.byteLength, "memory grew across repetitions").toBe(size);
  }, 120_000);
});
