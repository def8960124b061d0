// Optional-field guards: which paths an already-typed condition proves present. A guard holds in
// the right operand of `and` when the left is true, and in the right operand of `or` when the left
// is false (authors write implications: `not has p or p > 1`). `has a.b.c` proves every prefix.

import type { Expr } from "../ast/nodes.js";

/** `["action", "target"]` for `action.target` read from the input or a quantifier variable; else null. */
export function pathSegments(expr: Expr): string[] | null {
  if (expr.kind === "Name") return expr.$ref?.kind === "input" || expr.$ref?.kind === "variable" ? [expr.name] : null;
  if (expr.kind !== "FieldAccess" || expr.$ref !== undefined) return null;
  const object = pathSegments(expr.object);
  return object === null ? null : [...object, expr.field.name];
}

/** Every prefix of a path as a guard key: `a`, `a.b`, `a.b.c`. */
function prefixKeys(segments: readonly string[]): string[] {
  return segments.map((_, i) => segments.slice(0, i + 1).join("."));
}

/** Paths proven present when `expr` is true. */
export function factsWhenTrue(expr: Expr): string[] {
  switch (expr.kind) {
    case "Has": {
      const segments = pathSegments(expr.path);
      return segments === null ? [] : prefixKeys(segments);
    }
    case "Binary":
      return expr.op === "and" ? [...factsWhenTrue(expr.left), ...factsWhenTrue(expr.right)] : [];
    case "Not":
      return factsWhenFalse(expr.operand);
    default:
      return [];
  }
}

/** Paths proven present when `expr` is false. */
export function factsWhenFalse(expr: Expr): string[] {
  switch (expr.kind) {
    case "Binary":
      return expr.op === "or" ? [...factsWhenFalse(expr.left), ...factsWhenFalse(expr.right)] : [];
    case "Not":
      return factsWhenTrue(expr.operand);
    default:
      return [];
  }
}
