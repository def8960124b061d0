// Expression grammar: precedence and associativity exactly as docs/language.md, "Expressions", negative literals,
// and the spans of expression nodes.

import { describe, expect, test } from "vitest";
import type { Expr, LetDecl } from "../../compiler/ast/nodes.js";
import { parseFile } from "../../compiler/syntax/index.js";
import { sexpr } from "../support/sexpr.js";

function parseExpr(source: string): Expr {
  const { file, diagnostics } = parseFile({ path: "expr.constitution", text: `let x = ${source}` });
  expect(diagnostics).toEqual([]);
  return (file.declarations[0] as LetDecl).value;
}

describe("precedence, loosest first: quantifier, or, and, not, comparisons, + -, *, postfix", () => {
  test.each([
    ["a or b and c", "(or a (and b c))"],
    ["a and b or c", "(or (and a b) c)"],
    ["a or b or c", "(or (or a b) c)"],
    ["not a == b", "(not (== a b))"],
    ["not a and b", "(and (not a) b)"],
    ["not not a", "(not (not a))"],
    ["not has a.b", "(not (has (. a b)))"],
    ["has a and b", "(and (has a) b)"],
    ["any x in c: p or q", "(any x c (or p q))"],
    ["all x in c: any y in x: y", "(all x c (any y x y))"],
    ["(any x in c: p) or q", "(or (any x c p) q)"],
    ["any x in a + b: x", "(any x (+ a b) x)"],
    ["a + b * c", "(+ a (* b c))"],
    ["a * b + c", "(+ (* a b) c)"],
    ["a - b - c", "(- (- a b) c)"],
    ["(a - b) * c", "(* (- a b) c)"],
    ["a + b == c * d", "(== (+ a b) (* c d))"],
    ["a < b and b <= c", "(and (< a b) (<= b c))"],
    ["\"x\" in a.tags", "(in \"x\" (. a tags))"],
    ["a.b matches \"^x$\"", "(matches (. a b) \"^x$\")"],
    ["-3", "-3"],
    ["-3.5e2", "-3.5e2"],
    ["a - -3", "(- a -3)"],
    ["2 * -1", "(* 2 -1)"],
    ["lower(a.b).c", "(. (call lower (. a b)) c)"],
    ["count({1, 2}) > 1", "(> (call count (set 1 2)) 1)"],
    ["[a, \"b\", null, true]", "(list a \"b\" null true)"],
    ["{}", "(set)"],
    ["Clearance.secret", "(. Clearance secret)"],
    ["inputs or settings", "(or inputs settings)"],
  ])("%s → %s", (source, tree) => {
    expect(sexpr(parseExpr(source))).toBe(tree);
  });
});

describe("spans", () => {
  test("a binary node spans its operands; parentheses belong to the inner node's span", () => {
    const expr = parseExpr("(a or b) and c");
    expect(expr.span.start.column).toBe(9);
    expect(expr.span.end.column).toBe(23);
    const left = (expr as Extract<Expr, { kind: "Binary" }>).left;
    expect([left.span.start.column, left.span.end.column]).toEqual([9, 17]);
  });

  test("a folded negative literal spans the minus sign", () => {
    const expr = parseExpr("- 4");
    expect(expr).toMatchObject({ kind: "Number", value: -4, raw: "-4" });
    expect([expr.span.start.column, expr.span.end.column]).toEqual([9, 12]);
  });
});
