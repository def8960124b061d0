// Prints expressions on one line with the fewest parentheses that re-parse to the same tree:
// a child is wrapped only when its precedence is lower than its position requires.

import type { BinaryOp, Expr } from "../ast/nodes.js";

/** Loosest first, as in docs/language.md, "Expressions". */
export const Precedence = {
  quantifier: 0,
  or: 1,
  and: 2,
  not: 3,
  comparison: 4,
  additive: 5,
  multiplicative: 6,
  postfix: 7,
  primary: 8,
} as const;

export function binaryPrecedence(op: BinaryOp): number {
  switch (op) {
    case "or":
      return Precedence.or;
    case "and":
      return Precedence.and;
    case "+":
    case "-":
      return Precedence.additive;
    case "*":
      return Precedence.multiplicative;
    default:
      return Precedence.comparison;
  }
}

export function expressionPrecedence(expr: Expr): number {
  switch (expr.kind) {
    case "Quantifier":
      return Precedence.quantifier;
    case "Binary":
      return binaryPrecedence(expr.op);
    case "Not":
      return Precedence.not;
    case "Has":
    case "Matches":
      return Precedence.comparison;
    case "FieldAccess":
    case "Call":
      return Precedence.postfix;
    default:
      return Precedence.primary;
  }
}

export function printString(value: string): string {
  return JSON.stringify(value);
}

/** Prints `expr` where the grammar accepts only precedence `min` or tighter. */
export function printOperand(expr: Expr, min: number): string {
  const text = printExpr(expr);
  return expressionPrecedence(expr) < min ? `(${text})` : text;
}

/** The operand positions of a binary operator: comparisons do not associate, the others lean left. */
export function binaryOperandMinimums(op: BinaryOp): { left: number; right: number } {
  const p = binaryPrecedence(op);
  return p === Precedence.comparison ? { left: p + 1, right: p + 1 } : { left: p, right: p + 1 };
}

export function printExpr(expr: Expr): string {
  switch (expr.kind) {
    case "Name":
      return expr.name;
    case "String":
      return printString(expr.value);
    case "Number":
      return expr.raw;
    case "Bool":
      return String(expr.value);
    case "Null":
      return "null";
    case "Collection": {
      const elements = expr.elements.map(printExpr).join(", ");
      return expr.collection === "set" ? `{${elements}}` : `[${elements}]`;
    }
    case "FieldAccess": {
      // `3.x` would lex as the malformed number `3.`.
      const object =
        expr.object.kind === "Number" ? `(${expr.object.raw})` : printOperand(expr.object, Precedence.postfix);
      return `${object}.${expr.field.name}`;
    }
    case "Call":
      return `${expr.callee.name}(${expr.args.map(printExpr).join(", ")})`;
    case "Binary": {
      const min = binaryOperandMinimums(expr.op);
      return `${printOperand(expr.left, min.left)} ${expr.op} ${printOperand(expr.right, min.right)}`;
    }
    case "Not":
      return `not ${printOperand(expr.operand, Precedence.not)}`;
    case "Has":
      return `has ${printExpr(expr.path)}`;
    case "Matches":
      return `${printOperand(expr.subject, Precedence.additive)} matches ${printString(expr.pattern.value)}`;
    case "Quantifier":
      return `${expr.quantifier} ${expr.variable.name} in ${printOperand(expr.collection, Precedence.additive)}: ${printExpr(expr.body)}`;
  }
}
