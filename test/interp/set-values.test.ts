// The interpreter counts and compares sets of scalars through JavaScript Sets (linear time); these
// properties hold it to the definition it replaced: an item is new when it equals (valuesEqual,
// IEEE-754 for numbers) no item before it, and sets are equal when each contains the other.

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { isMember, valuesEqual, type Value } from "../../compiler/interp/values.js";
import { applyOperation, operation } from "../../compiler/operations/registry.js";
import type { Type } from "../../compiler/ast/types.js";

const NUMBER: Type = { kind: "number" };
const SET_OF_NUMBERS: Type & { kind: "set" } = { kind: "set", element: NUMBER };
const STRING: Type = { kind: "string" };
const SET_OF_STRINGS: Type & { kind: "set" } = { kind: "set", element: STRING };

/** `count` as the interpreter runs it: the registry's, with the interpreter's element equality. */
function countOf(items: Value[], type: Type & { kind: "set" }): unknown {
  const sameElement = (a: unknown, b: unknown) => valuesEqual(a as Value, b as Value, type.element);
  return applyOperation(operation("count")!, [items], () => ({ isSet: true, sameElement }));
}

function pairwiseCount(items: readonly Value[], element: Type): number {
  const distinct: Value[] = [];
  for (const item of items) if (!isMember(item, distinct, element)) distinct.push(item);
  return distinct.length;
}

function pairwiseEqual(a: Value[], b: Value[], element: Type): boolean {
  return a.every((item) => isMember(item, b, element)) && b.every((item) => isMember(item, a, element));
}

const numbers = fc.array(fc.constantFrom(0, -0, 1, 1.5, NaN, Infinity, -Infinity, 2 ** 53), { maxLength: 12 });
const strings = fc.array(fc.constantFrom("", "a", "A", "é", "e\u0301", "😀", "\ud800"), { maxLength: 12 });

describe("interpreter sets of scalars", () => {
  it("property: count of a set of numbers (NaN distinct from everything, -0 equal to 0) is the pairwise count", () => {
    fc.assert(
      fc.property(numbers, (items) => {
        expect(countOf(items, SET_OF_NUMBERS)).toBe(pairwiseCount(items, NUMBER));
      }),
    );
  });

  it("property: count of a set of strings is the pairwise count", () => {
    fc.assert(
      fc.property(strings, (items) => {
        expect(countOf(items, SET_OF_STRINGS)).toBe(pairwiseCount(items, STRING));
      }),
    );
  });

  it("property: equality of sets of numbers and of strings is mutual containment", () => {
    fc.assert(
      fc.property(numbers, numbers, (a, b) => {
        expect(valuesEqual(a, b, SET_OF_NUMBERS)).toBe(pairwiseEqual(a, b, NUMBER));
      }),
    );
    fc.assert(
      fc.property(strings, strings, (a, b) => {
        expect(valuesEqual(a, b, SET_OF_STRINGS)).toBe(pairwiseEqual(a, b, STRING));
      }),
    );
  });

  it("NaN makes a set unequal to every set, itself included; -0 and 0 are one element", () => {
    const withNaN = [1, NaN];
    expect(valuesEqual(withNaN, withNaN, SET_OF_NUMBERS)).toBe(false);
    expect(countOf([NaN, NaN, 0, -0], SET_OF_NUMBERS)).toBe(3);
    expect(valuesEqual([0, 1], [1, -0, 1], SET_OF_NUMBERS)).toBe(true);
  });
});
