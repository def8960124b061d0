import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { RegexNode } from "../../compiler/regex/ast.js";
import { parseRegex } from "../../compiler/regex/parse.js";

const accepted: [pattern: string, description: string][] = [
  ["-----BEGIN [A-Z ]*PRIVATE KEY-----", "the reference constitution's key pattern"],
  ["(AKIA|ASIA)[0-9A-Z]{16}", "alternation in a group, class, counted repeat"],
  ["^abc$", "anchors"],
  ["a*?b+?c??d{2,}?", "lazy quantifiers"],
  ["(?:ab)+", "non-capturing group"],
  ["\\d\\w\\s\\D\\W\\S", "class escapes"],
  ["\\n\\t\\r\\f\\v\\0", "control escapes"],
  ["\\x41\\u00e9\\u{1F600}", "hex and unicode escapes"],
  ["\\^\\$\\\\\\.\\*\\+\\?\\(\\)\\[\\]\\{\\}\\|\\/", "escaped metacharacters"],
  ["[^a-z\\d_-]", "negated class with a range, an escape and a trailing dash"],
  ["[\\-\\]]", "escaped dash and bracket in a class"],
  ["a{0}b{1000}c{3,1000}", "repeat bounds up to 1000"],
  ["", "the empty pattern"],
  ["a|", "an empty alternative"],
  ["😀+", "an astral literal"],
];

const rejected: [pattern: string, message: string, offset: number][] = [
  ["(a)\\1", "backreferences are not supported", 3],
  ["\\k<x>", "backreferences are not supported", 0],
  ["a(?=b)", "lookahead is not supported", 1],
  ["a(?!b)", "lookahead is not supported", 1],
  ["(?<=a)b", "lookbehind is not supported", 0],
  ["(?<!a)b", "lookbehind is not supported", 0],
  ["(?<year>\\d+)", "named groups are not supported", 0],
  ["(?P<year>\\d+)", "named groups are not supported", 0],
  ["x\\by", "word boundaries (`\\b`) are not supported", 1],
  ["\\B", "word boundaries (`\\B`) are not supported", 0],
  ["(?i)abc", "inline flags are not supported", 0],
  ["(?i:abc)", "inline flags are not supported", 0],
  ["a*+", "possessive quantifiers are not supported", 2],
  ["a{2}+", "possessive quantifiers are not supported", 4],
  ["a**", "a quantifier cannot follow another quantifier", 2],
  ["*a", "nothing to repeat", 0],
  ["a|?", "nothing to repeat", 2],
  ["^*", "an anchor cannot be repeated", 1],
  ["a{1001}", "repeat count exceeds 1000", 1],
  ["a{3,2}", "repeat bounds out of order in `{3,2}`", 1],
  ["a{", "a literal `{` must be escaped", 1],
  ["a}", "a literal `}` must be escaped", 1],
  ["a]", "a literal `]` must be escaped", 1],
  ["[]", "empty character class", 0],
  ["[^]", "empty character class", 0],
  ["[abc", "missing `]` for this character class", 0],
  ["[[]", "a literal `[` inside a class must be escaped", 1],
  ["[z-a]", "range out of order in character class", 1],
  ["[\\d-z]", "a class escape cannot bound a range", 1],
  ["(ab", "missing `)` for this group", 0],
  ["ab)", "unmatched `)`", 2],
  ["\\p{L}", "unicode property escapes are not supported", 0],
  ["\\cA", "control escapes (`\\c`) are not supported", 0],
  ["\\01", "octal escapes are not supported", 0],
  ["\\q", "unknown escape `\\q`", 0],
  ["\\-", "unknown escape `\\-`", 0],
  ["\\x4", "malformed escape", 0],
  ["\\u{110000}", "code point out of range", 0],
  ["ab\\", "pattern ends with a lone backslash", 2],
];

describe("parseRegex", () => {
  it.each(accepted)("accepts %j (%s)", (pattern) => {
    const result = parseRegex(pattern);
    expect(result.ok, JSON.stringify(result)).toBe(true);
  });

  it.each(rejected)("rejects %j: %s at offset %i", (pattern, message, offset) => {
    const result = parseRegex(pattern);
    expect(result).toMatchObject({ ok: false, message, offset });
  });

  it("gives a hint for every construct it rejects on purpose", () => {
    for (const pattern of ["(a)\\1", "a(?=b)", "(?<n>a)", "\\b", "(?i)a", "a*+"]) {
      const result = parseRegex(pattern);
      expect(result.ok ? undefined : result.hint, pattern).toMatch(/\S/);
    }
  });

  it("resolves classes to sorted, merged code-point ranges and negation to the complement", () => {
    expect(parseRegex("[c-ea-bx]")).toEqual({
      ok: true,
      regex: {
        kind: "chars",
        ranges: [
          [97, 101],
          [120, 120],
        ],
      },
    });
    expect(parseRegex("[^\\x00-\\u{10FFFE}]")).toEqual({
      ok: true,
      regex: { kind: "chars", ranges: [[0x10ffff, 0x10ffff]] },
    });
  });

  it("reads a surrogate pair of \\u escapes as one code point, as the u flag does", () => {
    expect(parseRegex("\\uD83D\\uDE00")).toEqual({ ok: true, regex: { kind: "chars", ranges: [[0x1f600, 0x1f600]] } });
  });

  it("builds the documented shape for quantifiers, groups and anchors", () => {
    const expected: RegexNode = {
      kind: "concat",
      items: [
        { kind: "anchor", at: "start" },
        {
          kind: "repeat",
          node: {
            kind: "group",
            capturing: false,
            node: { kind: "alternation", options: [{ kind: "chars", ranges: [[97, 97]] }, { kind: "any" }] },
          },
          min: 2,
          max: null,
          lazy: true,
        },
        { kind: "anchor", at: "end" },
      ],
    };
    expect(parseRegex("^(?:a|.){2,}?$")).toEqual({ ok: true, regex: expected });
  });

  it("property: every accepted pattern is a valid JavaScript RegExp with the u flag", () => {
    const piece = fc.constantFrom(
      "a",
      "b",
      "\\d",
      "\\w",
      "\\s",
      ".",
      "[a-c]",
      "[^x]",
      "(",
      ")",
      "(?:",
      "|",
      "*",
      "+",
      "?",
      "{2}",
      "{1,3}",
      "^",
      "$",
      "\\.",
      "é",
      "😀",
      "\\u{1F600}",
      "[",
      "]",
      "{",
      "\\",
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 12 }), (pieces) => {
        const pattern = pieces.join("");
        const result = parseRegex(pattern);
        if (result.ok) expect(() => new RegExp(pattern, "u")).not.toThrow();
        else expect(result.offset).toBeGreaterThanOrEqual(0);
      }),
      { numRuns: 2000 },
    );
  });

  it("property: accepted patterns and JavaScript agree on which single characters match a class", () => {
    const classes = ["[a-f]", "[^a-f]", "\\d", "\\D", "\\w", "\\W", "\\s", "\\S", ".", "[\\s\\d]", "[^\\w\\-]"];
    fc.assert(
      fc.property(
        fc.constantFrom(...classes),
        fc.oneof(fc.integer({ min: 0, max: 0x3100 }), fc.integer({ min: 0, max: 0x10ffff })),
        (pattern, codePoint) => {
          const result = parseRegex(pattern);
          if (!result.ok) throw new Error(result.message);
          const char = String.fromCodePoint(codePoint);
          const expected = new RegExp(`^(?:${pattern})$`, "u").test(char);
          expect(matchesSingle(result.regex, codePoint), `${pattern} on U+${codePoint.toString(16)}`).toBe(expected);
        },
      ),
      { numRuns: 3000 },
    );
  });
});

function matchesSingle(node: RegexNode, codePoint: number): boolean {
  if (node.kind === "any") return ![10, 13, 0x2028, 0x2029].includes(codePoint);
  if (node.kind !== "chars") throw new Error(`not a single-character node: ${node.kind}`);
  return node.ranges.some(([from, to]) => codePoint >= from && codePoint <= to);
}
