import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { closestMatch, editDistance, suggestionHint } from "../../compiler/check/fuzzy.js";

describe("did-you-mean suggestions", () => {
  it.each([
    ["clearence", "clearance", 1],
    ["secrte", "secret", 1], // an adjacent swap costs 1 (Damerau)
    ["lowr", "lower", 1],
    ["kitten", "sitting", 3],
    ["", "abc", 3],
  ])("editDistance(%j, %j) = %i", (a, b, d) => {
    expect(editDistance(a, b)).toBe(d);
  });

  it("property: the distance is symmetric, zero exactly on equal strings, and bounded by the lengths", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 12 }), fc.string({ maxLength: 12 }), (a, b) => {
        const d = editDistance(a, b);
        expect(editDistance(b, a)).toBe(d);
        expect(d === 0).toBe(a === b);
        expect(d).toBeGreaterThanOrEqual(Math.abs(a.length - b.length));
        expect(d).toBeLessThanOrEqual(Math.max(a.length, b.length));
      }),
    );
  });

  it("suggests only close names, otherwise lists what exists", () => {
    expect(closestMatch("quarantaine", ["none", "quarantine", "suspend"])).toBe("quarantine");
    expect(closestMatch("xyz", ["none", "quarantine"])).toBeUndefined();
    expect(suggestionHint("clasified", ["classified", "execute_path"], "names")).toBe("did you mean `classified`?");
    expect(suggestionHint("zzz", ["a", "b"], "names")).toBe("available names: `a`, `b`");
    expect(suggestionHint("zzz", "abcdefghij".split(""), "names")).toBe(
      "available names: `a`, `b`, `c`, `d`, `e`, `f`, `g`, `h`, …",
    );
    expect(suggestionHint("zzz", [], "fields")).toBe("no fields are declared");
  });
});
