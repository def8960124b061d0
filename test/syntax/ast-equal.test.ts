// astEqual ignores layout (spans), checker annotations ($ fields) and comments, nothing else.

import { describe, expect, test } from "vitest";
import { astEqual, stripSpans } from "../../compiler/ast/equal.js";
import { parseFile } from "../../compiler/syntax/index.js";

const parse = (text: string) => parseFile({ path: "e.constitution", text }).file;

describe("astEqual", () => {
  test("layout and comments do not matter", () => {
    expect(astEqual(parse("let x = a and b"), parse("// note\nlet   x =\n  a\n  and /* c */ b"))).toBe(true);
  });

  test("structure does", () => {
    expect(astEqual(parse("let x = (a and b) and c"), parse("let x = a and (b and c)"))).toBe(false);
    expect(astEqual(parse("let x = 1e3"), parse("let x = 1000"))).toBe(false);
  });

  test("$ fields are ignored, and stripSpans removes them", () => {
    const annotated = parse("let x = a");
    Object.assign((annotated.declarations[0] as { value: object }).value, { $type: { kind: "bool" } });
    expect(astEqual(annotated, parse("let x = a"))).toBe(true);
    expect(JSON.stringify(stripSpans(annotated))).not.toMatch(/"span"|"\$type"|"comments"/);
  });
});
