// A compact S-expression view of expressions, so tests can state tree shapes in one line:
// `a or b and c` → `(or a (and b c))`.

import type { Expr } from "../../compiler/ast/nodes.js";

export function sexpr(expr: Expr): string {
  switch (expr.kind) {
    case "Name":
      return expr.name;
    case "String":
      return JSON.stringify(expr.value);
    case "Number":
      return expr.raw;
    case "Bool":
      return String(expr.value);
    case "Null":
      return "null";
    case "Collection":
      return `(${expr.collection} ${expr.elements.map(sexpr).join(" ")})`.replace(" )", ")");
    case "FieldAccess":
      return `(. ${sexpr(expr.object)} ${expr.field.name})`;
    case "Call":
      return `(call ${expr.callee.name}${expr.args.map((a) => ` ${sexpr(a)}`).join("")})`;
    case "Binary":
      return `(${expr.op} ${sexpr(expr.left)} ${sexpr(expr.right)})`;
    case "Not":
      return `(not ${sexpr(expr.operand)})`;
    case "Has":
      return `(has ${sexpr(expr.path)})`;
    case "Matches":
      return `(matches ${sexpr(expr.subject)} ${JSON.stringify(expr.pattern.value)})`;
    case "Quantifier":
      return `(${expr.quantifier} ${expr.variable.name} ${sexpr(expr.collection)} ${sexpr(expr.body)})`;
  }
}
