// Lays out conditions (`when` and `let` values) within MAX_WIDTH (docs/grammar.md, "Conditions").
//
// A broken `and`/`or` chain puts each operand on its own line, all starting at the column of the
// first one; each continuation line starts with the operator, right-aligned against that column:
//
//     when a == 1
//      and (b == 2
//           or c == 3)
//
// Only `and`/`or` chains break, and quantifiers after their `:`. An operand that still does not
// fit breaks the same way inside itself: a parenthesised chain, `not (…)`, or a quantifier's body
// (after its head, or, if it does not fit there either, on the next line indented 4 from the
// quantifier). An unparenthesised chain operand (`a and b` inside an `or`) gets parentheses when
// it has to break, so the two operators never share a column.

import type { Expr } from "../ast/nodes.js";
import { binaryOperandMinimums, expressionPrecedence, printOperand, Precedence } from "./expr.js";
import { MAX_WIDTH } from "./layout.js";

/** Where a quantifier's body starts when it moves below the head: `and` right-aligns under the quantifier. */
const QUANTIFIER_BODY_INDENT = 4;

type Chain = { op: "and" | "or"; operands: Expr[] };

/** The top-level `and` (or `or`) chain of an expression, left to right. */
function chain(expr: Expr): Chain | undefined {
  if (expr.kind !== "Binary" || (expr.op !== "and" && expr.op !== "or")) return undefined;
  const operands: Expr[] = [expr.right];
  let left = expr.left;
  while (left.kind === "Binary" && left.op === expr.op) {
    operands.unshift(left.right);
    left = left.left;
  }
  return { op: expr.op, operands: [left, ...operands] };
}

/**
 * `prefix` followed by the condition. A top-level chain keeps the source's line breaks before its
 * operators while every line fits; otherwise the condition is laid out by width alone.
 */
export function condition(prefix: string, when: Expr): string[] {
  const parts = chain(when);
  const asWritten = parts && chainAsWritten(parts, prefix.length);
  const keepSource = asWritten !== undefined && fits(asWritten, prefix.length, 0);
  const lines = keepSource ? asWritten : layout(when, prefix.length, Precedence.quantifier, 0);
  return [prefix + lines[0], ...lines.slice(1)];
}

/** The chain on one line, broken only where the source broke it (operands printed flat). */
function chainAsWritten(parts: Chain, column: number): string[] {
  const min = binaryOperandMinimums(parts.op);
  const texts = parts.operands.map((operand, i) => printOperand(operand, i === 0 ? min.left : min.right));
  const lines = [texts[0]!];
  for (let i = 1; i < texts.length; i++) {
    const brokeBefore = parts.operands[i]!.span.start.line > parts.operands[i - 1]!.span.end.line;
    if (brokeBefore) lines.push(`${continuation(parts.op, column)}${texts[i]}`);
    else lines[lines.length - 1] += ` ${parts.op} ${texts[i]}`;
  }
  return lines;
}

/** The start of a continuation line: the operator right-aligned against the operand column. */
function continuation(op: string, column: number): string {
  return `${" ".repeat(Math.max(0, column - op.length - 1))}${op} `;
}

/**
 * Whether lines fit in MAX_WIDTH: the first starts at `column`, the others carry their own
 * indentation, and `trailing` columns follow the last.
 */
function fits(lines: string[], column: number, trailing: number): boolean {
  return lines.every((line, i) => {
    const start = i === 0 ? column : 0;
    const end = i === lines.length - 1 ? trailing : 0;
    return start + line.length + end <= MAX_WIDTH;
  });
}

/** Whether the layout can break the expression: at an `and`/`or`, or after a quantifier's `:`. */
function breakable(expr: Expr): boolean {
  switch (expr.kind) {
    case "Binary":
      return expr.op === "and" || expr.op === "or";
    case "Not":
      return breakable(expr.operand);
    case "Quantifier":
      return true;
    default:
      return false;
  }
}

/**
 * The lines of `expr` at `column`, where the grammar accepts precedence `min` or tighter, with
 * `trailing` columns (closing parentheses) to follow it. One line when it fits.
 */
function layout(expr: Expr, column: number, min: number, trailing: number): string[] {
  const flat = printOperand(expr, min);
  if (column + flat.length + trailing <= MAX_WIDTH || !breakable(expr)) return [flat];
  if (expressionPrecedence(expr) < min) return parenthesised(expr, column, trailing);
  switch (expr.kind) {
    case "Binary":
      return brokenChain(chain(expr)!, column, trailing);
    case "Not":
      return prepend("not ", layout(expr.operand, column + 4, Precedence.not, trailing));
    case "Quantifier":
      return quantifier(expr, column, trailing);
    default:
      return [flat];
  }
}

/** The body follows the head; when it does not fit there, it starts the next line, indented 4 from the quantifier. */
function quantifier(expr: Extract<Expr, { kind: "Quantifier" }>, column: number, trailing: number): string[] {
  const head = `${expr.quantifier} ${expr.variable.name} in ${printOperand(expr.collection, Precedence.additive)}:`;
  const sameLine = prepend(`${head} `, layout(expr.body, column + head.length + 1, Precedence.quantifier, trailing));
  if (fits(sameLine, column, trailing)) return sameLine;
  const bodyColumn = column + QUANTIFIER_BODY_INDENT;
  return [head, ...prepend(" ".repeat(bodyColumn), layout(expr.body, bodyColumn, Precedence.quantifier, trailing))];
}

function parenthesised(expr: Expr, column: number, trailing: number): string[] {
  const lines = prepend("(", layout(expr, column + 1, Precedence.quantifier, trailing + 1));
  lines[lines.length - 1] += ")";
  return lines;
}

function prepend(text: string, lines: string[]): string[] {
  return [text + lines[0], ...lines.slice(1)];
}

/** Every operand on its own line; an operand that is itself a chain is parenthesised if it breaks. */
function brokenChain(parts: Chain, column: number, trailing: number): string[] {
  const min = binaryOperandMinimums(parts.op);
  return parts.operands.flatMap((operand, i) => {
    const last = i === parts.operands.length - 1 ? trailing : 0;
    const operandMin = i === 0 ? min.left : min.right;
    const bareChain = chain(operand) !== undefined && expressionPrecedence(operand) >= operandMin;
    const breaks = column + printOperand(operand, operandMin).length + last > MAX_WIDTH;
    const lines =
      bareChain && breaks ? parenthesised(operand, column, last) : layout(operand, column, operandMin, last);
    return i === 0 ? lines : prepend(continuation(parts.op, column), lines);
  });
}
