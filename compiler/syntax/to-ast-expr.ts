// CST → AST for expressions (docs/language.md, "Expressions"). Operator chains are folded left-associatively; the
// spans of binary nodes run from the left operand to the right one, a parenthesised expression's
// span includes its parentheses.

import type { CstNode, IToken } from "chevrotain";
import type { BinaryOp, Expr, NumberLiteral } from "../ast/nodes.js";
import { joinSpans } from "../diagnostics/span.js";
import { Incomplete, type CstReader } from "./cst-reader.js";
import { Kw, NumberLiteral as NumberToken, P, StringLiteral as StringToken } from "./tokens.js";

export function buildExpr(node: CstNode, r: CstReader): Expr {
  return buildOr(r.node(node, "orExpr"), r, false);
}

// `nested` says whether the expression being built is an operand of `and`, `or` or `not`. A
// quantifier there is that operator's last operand (its body extends as far right as it can), and
// its body may not take in a further `and`/`or`: `q and any x in c: p and r` reads two ways.

function buildOr(node: CstNode, r: CstReader, nested: boolean): Expr {
  const inChain = nested || r.elements(node, "operand").length > 1;
  return buildChain(node, r, (n) => buildAnd(n, r, inChain));
}

function buildAnd(node: CstNode, r: CstReader, nested: boolean): Expr {
  const inChain = nested || r.elements(node, "operand").length > 1;
  return buildChain(node, r, (n) => buildNot(n, r, inChain));
}

function buildQuantifier(node: CstNode, r: CstReader, nested: boolean): Expr {
  const quantifier = r.token(node, "quantifier").image === "any" ? "any" : "all";
  const variable = r.identifier(r.name(node, "variable"));
  const bodyNode = r.node(r.node(node, "body"), "orExpr");
  if (nested) rejectChainedBody(bodyNode, `${quantifier} ${variable.name}`, r);
  return {
    kind: "Quantifier",
    quantifier,
    variable,
    collection: buildAdditive(r.node(node, "collection"), r),
    body: buildOr(bodyNode, r, nested),
    span: r.nodeSpan(node),
  };
}

/** Reports the first `and`/`or` at the top of a nested quantifier's body. */
function rejectChainedBody(body: CstNode, head: string, r: CstReader): void {
  const op = r.tokens(r.node(body, "operand"), "op")[0] ?? r.tokens(body, "op")[0];
  if (op === undefined) return;
  const word = op.image;
  const hint =
    "a quantifier inside `and`/`or`/`not` ends the condition: " +
    `write \`(${head} in …: …) ${word} …\` to end it before this \`${word}\`, ` +
    `or \`${head} in …: (… ${word} …)\` to keep the rest in its body`;
  r.report("MG1010", r.tokenSpan(op), `unexpected token \`${word}\``, hint);
}

/** `operand (op operand)*` folded to the left. */
function buildChain(node: CstNode, r: CstReader, operand: (n: CstNode, r: CstReader) => Expr): Expr {
  const operands = r.nodes(node, "operand").map((n) => operand(n, r));
  const ops = r.tokens(node, "op");
  if (operands.length !== ops.length + 1) throw new Incomplete();
  return ops.reduce<Expr>((left, op, i) => {
    const right = operands[i + 1]!;
    return { kind: "Binary", op: op.image as BinaryOp, left, right, span: joinSpans(left.span, right.span) };
  }, operands[0]!);
}

function buildNot(node: CstNode, r: CstReader, nested: boolean): Expr {
  const inner = r.optionalNode(node, "notExpr");
  if (inner) return { kind: "Not", operand: buildNot(inner, r, true), span: r.nodeSpan(node) };
  const quantifier = r.optionalNode(node, "quantifier");
  if (quantifier) return buildQuantifier(quantifier, r, nested);
  return buildComparison(r.node(node, "comparison"), r);
}

function buildComparison(node: CstNode, r: CstReader): Expr {
  const path = r.optionalNode(node, "path");
  if (path) return { kind: "Has", path: buildPath(path, r), span: r.nodeSpan(node) };
  const operands = r.elements(node, "operand");
  const ops = r.tokens(node, "op");
  if (ops.length > 1) {
    r.report(
      "MG1010",
      r.tokenSpan(ops[1]!),
      `unexpected token \`${ops[1]!.image}\``,
      "comparisons do not chain: combine them with `and`, as in `a < b and b < c`",
    );
  }
  let left = buildAdditive(r.asNode(operands[0]), r);
  ops.forEach((op, i) => {
    if (op.tokenType === P.assign) {
      const hint = "did you mean `==`? `=` only follows the name in `let name = …`";
      r.report("MG1012", r.tokenSpan(op), "`=` is not a comparison", hint);
    }
    if (op.tokenType === Kw.matches) {
      const pattern = r.stringLiteral(r.asToken(operands[i + 1]));
      left = { kind: "Matches", subject: left, pattern, span: joinSpans(left.span, pattern.span) };
    } else {
      const right = buildAdditive(r.asNode(operands[i + 1]), r);
      const binary = op.tokenType === P.assign ? "==" : (op.image as BinaryOp);
      left = { kind: "Binary", op: binary, left, right, span: joinSpans(left.span, right.span) };
    }
  });
  return left;
}

function buildAdditive(node: CstNode, r: CstReader): Expr {
  return buildChain(node, r, (n) => buildChain(n, r, buildPostfix));
}

const INDEXING_HINT =
  "there is no `xs[i]`: test the elements with `any x in xs: …` or `all x in xs: …`, or membership with `v in xs`";

function buildPostfix(node: CstNode, r: CstReader): Expr {
  for (const open of r.tokens(node, "index")) {
    r.report("MG1014", r.tokenSpan(open), "indexing is not in the language", INDEXING_HINT);
  }
  let expr = buildPrimary(r.node(node, "primary"), r);
  for (const field of r.tokens(node, "field")) {
    const name = r.identifier(field);
    expr = { kind: "FieldAccess", object: expr, field: name, span: joinSpans(expr.span, name.span) };
  }
  return expr;
}

function buildPrimary(node: CstNode, r: CstReader): Expr {
  const literal = r.optionalToken(node, "literal");
  if (literal) return buildLiteral(literal, r);
  const misplaced = r.optionalNode(node, "misplaced");
  if (misplaced) return buildMisplacedQuantifier(misplaced, r);
  const negate = r.optionalToken(node, "negate");
  if (negate) return buildNegation(negate, r.node(node, "primary"), r);
  const open = r.optionalToken(node, "open");
  if (open) {
    if (open.image === "(") return { ...buildExpr(r.node(node, "expr"), r), span: r.nodeSpan(node) };
    return {
      kind: "Collection",
      collection: open.image === "{" ? "set" : "list",
      elements: buildElements(r.node(node, "elements"), r),
      span: r.nodeSpan(node),
    };
  }
  const name = r.token(node, "name");
  if (r.has(node, "call"))
    return {
      kind: "Call",
      callee: r.identifier(name),
      args: buildElements(r.node(node, "elements"), r),
      span: r.nodeSpan(node),
    };
  return { kind: "Name", name: name.image, span: r.tokenSpan(name) };
}

function buildLiteral(token: IToken, r: CstReader): Expr {
  const span = r.tokenSpan(token);
  if (token.tokenType === NumberToken) return { kind: "Number", value: Number(token.image), raw: token.image, span };
  if (token.tokenType === StringToken) return r.stringLiteral(token);
  if (token.tokenType === Kw.null) return { kind: "Null", span };
  return { kind: "Bool", value: token.tokenType === Kw.true, span };
}

/** A quantifier as the operand of a comparison or arithmetic: reported, then read as if parenthesised. */
function buildMisplacedQuantifier(node: CstNode, r: CstReader): Expr {
  const quantifier = buildQuantifier(node, r, false);
  const word = r.token(node, "quantifier");
  const hint =
    "a quantifier stands only where a condition does (after `when`, `and`, `or`, `not`, `(`): " +
    `wrap it in parentheses, as in \`(${word.image} x in …: …)\``;
  r.report("MG1010", r.tokenSpan(word), `unexpected token \`${word.image}\``, hint);
  return quantifier;
}

/** `-3` is a negative literal; the language has no unary minus otherwise. */
function buildNegation(minus: IToken, operandNode: CstNode, r: CstReader): Expr {
  const operand = buildPrimary(operandNode, r);
  const span = joinSpans(r.tokenSpan(minus), operand.span);
  if (operand.kind === "Number" && !operand.raw.startsWith("-")) {
    const folded: NumberLiteral = { kind: "Number", value: -operand.value, raw: `-${operand.raw}`, span };
    return folded;
  }
  r.report("MG1010", r.tokenSpan(minus), "unexpected token `-`", "there is no unary minus: write `0 - x`");
  return operand;
}

function buildElements(node: CstNode, r: CstReader): Expr[] {
  return r.nodes(node, "expr").map((n) => buildExpr(n, r));
}

/** `a.b.c` → Name / FieldAccess nodes. */
export function buildPath(node: CstNode, r: CstReader): Expr {
  const segments = r.tokens(node, "segment");
  const first = r.asToken(segments[0]);
  let expr: Expr = { kind: "Name", name: first.image, span: r.tokenSpan(first) };
  for (const segment of segments.slice(1)) {
    const field = r.identifier(segment);
    expr = { kind: "FieldAccess", object: expr, field, span: joinSpans(expr.span, field.span) };
  }
  return expr;
}
