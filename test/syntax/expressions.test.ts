// Expression grammar: precedence and associativity exactly as docs/language.md, "Expressions", negative literals,
// and the spans of expression nodes.

import { describe, expect, test } from "vitest";
import type { Expr, LetDecl } from "../../compiler/ast/nodes.js";
import { astEqual } from "../../compiler/ast/equal.js";
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
    ['"x" in a.tags', '(in "x" (. a tags))'],
    ['a.b matches "^x$"', '(matches (. a b) "^x$")'],
    ["-3", "-3"],
    ["-3.5e2", "-3.5e2"],
    ["a - -3", "(- a -3)"],
    ["2 * -1", "(* 2 -1)"],
    ["lower(a.b).c", "(. (call lower (. a b)) c)"],
    ["count({1, 2}) > 1", "(> (call count (set 1 2)) 1)"],
    ['[a, "b", null, true]', '(list a "b" null true)'],
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

describe("a quantifier as the last operand of `and`/`or`/`not` needs no parentheses", () => {
  const parse = (text: string) => parseFile({ path: "q.constitution", text: `let x = ${text}` });

  test.each([
    ["q and any x in xs: p", "q and (any x in xs: p)", "(and q (any x xs p))"],
    ["q or all x in xs: p == 1", "q or (all x in xs: p == 1)", "(or q (all x xs (== p 1)))"],
    ["not any x in xs: p", "not (any x in xs: p)", "(not (any x xs p))"],
    ["a or b and not all x in xs: x", "a or (b and not (all x in xs: x))", "(or a (and b (not (all x xs x))))"],
    ["q and any x in xs: all y in x: y", "q and (any x in xs: (all y in x: y))", "(and q (any x xs (all y x y)))"],
    ["q and any x in xs: (p or r)", "q and (any x in xs: p or r)", "(and q (any x xs (or p r)))"],
  ])("%s ≡ %s", (bare, parenthesised, tree) => {
    const plain = parse(bare);
    expect(plain.diagnostics).toEqual([]);
    expect(astEqual(plain.file, parse(parenthesised).file)).toBe(true);
    expect(sexpr((plain.file.declarations[0] as LetDecl).value)).toBe(tree);
  });

  test("a top-level quantifier's body still extends as far right as it can", () => {
    expect(sexpr(parseExpr("any x in xs: p and q or r"))).toBe("(any x xs (or (and p q) r))");
  });

  test.each([
    ["q and any x in xs: p and r", 30, "and"],
    ["q or any x in xs: p == 1 or r", 34, "or"],
    ["not all x in xs: p or r", 28, "or"],
    ["q and any x in xs: all y in x: y or r", 42, "or"],
  ])("%s: a further `and`/`or` in the body is an error whose hint names the parentheses", (text, col, op) => {
    const { diagnostics } = parse(text);
    expect(diagnostics).toHaveLength(1);
    expect(diagnostics[0]).toMatchObject({
      code: "MG1010",
      message: `unexpected token \`${op}\``,
      span: { start: { line: 1, column: col } },
    });
    expect(diagnostics[0]!.hint).toContain(`) ${op} …\``);
    expect(diagnostics[0]!.hint).toContain(`: (… ${op} …)\``);
  });

  test.each([
    ["a == any x in xs: p", 14, "any"],
    ["1 + all x in xs: p", 13, "all"],
    ["any x in any y in z: y: x", 18, "any"],
  ])(
    "%s: a quantifier as an operand of a comparison or arithmetic is one error suggesting parentheses",
    (text, col, word) => {
      const { diagnostics } = parse(text);
      expect(diagnostics).toHaveLength(1);
      expect(diagnostics[0]).toMatchObject({
        code: "MG1010",
        message: `unexpected token \`${word}\``,
        span: { start: { column: col } },
      });
      expect(diagnostics[0]!.hint).toContain(`wrap it in parentheses, as in \`(${word} x in …: …)\``);
    },
  );
});
