// Article numbers: strict canonical Roman numerals (I … MMMCMXCIX) or decimal integers.

import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { readArticleNumber, toRoman } from "../../compiler/syntax/article-number.js";

describe("article numbers", () => {
  test.each([
    ["I", 1],
    ["IV", 4],
    ["VII", 7],
    ["XLII", 42],
    ["MCMXCIX", 1999],
    ["MMMCMXCIX", 3999],
    ["7", 7],
    ["3999", 3999],
  ])("%s = %i", (text, value) => {
    expect(readArticleNumber(text)).toEqual({ ok: true, value });
  });

  test.each(["IIII", "VX", "IL", "MMMM", "iv", "ABC", "0", "07", "4000", ""])("%j is invalid", (text) => {
    expect(readArticleNumber(text).ok).toBe(false);
  });

  test("PBT toRoman and readArticleNumber are inverse on 1..3999", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 3999 }), (n) => {
        expect(readArticleNumber(toRoman(n))).toEqual({ ok: true, value: n });
      }),
    );
  });
});
