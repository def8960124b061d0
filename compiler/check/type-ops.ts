// Relations between checker types: compatibility (for `==`, `in`, collection elements and
// arguments), ordering, and the small constructors every stage uses.

import type { Type } from "../ast/types.js";

export type EnumType = Extract<Type, { kind: "enum" }>;
export type RecordType = Extract<Type, { kind: "record" }>;

export const STRING: Type = { kind: "string" };
export const NUMBER: Type = { kind: "number" };
export const BOOL: Type = { kind: "bool" };
export const ERROR: Type = { kind: "error" };
export const EMPTY: Type = { kind: "empty" };

/**
 * Whether values of the two types can be compared with `==`. `error` is compatible with anything
 * (its problem was reported already) and so is `empty`, the element type of `{}` and `[]`.
 */
export function compatible(a: Type, b: Type): boolean {
  if (a.kind === "error" || b.kind === "error" || a.kind === "empty" || b.kind === "empty") return true;
  switch (a.kind) {
    case "enum":
      return b.kind === "enum" && a.name === b.name;
    case "set":
    case "list":
      return b.kind === a.kind && compatible(a.element, b.element);
    case "record":
      return (
        b.kind === "record" &&
        a.fields.length === b.fields.length &&
        a.fields.every((f, i) => sameField(f, b.fields[i]!))
      );
    default:
      return a.kind === b.kind;
  }
}

function sameField(a: RecordType["fields"][number], b: RecordType["fields"][number]): boolean {
  return a.name === b.name && a.optional === b.optional && compatible(a.type, b.type);
}

/** The more informative of two compatible types (`set<string>` over `set<nothing>`). */
export function unify(a: Type, b: Type): Type {
  if (a.kind === "error" || b.kind === "error") return { kind: "error" };
  if (a.kind === "empty") return b;
  if ((a.kind === "set" || a.kind === "list") && b.kind === a.kind)
    return { kind: a.kind, element: unify(a.element, b.element) };
  return a;
}

/** Strings, numbers and ordered enums support `< <= > >=`. */
export function isOrdered(type: Type): boolean {
  return (
    type.kind === "string" || type.kind === "number" || (type.kind === "enum" && type.ordered) || type.kind === "error"
  );
}

/** Values a `message` hole and a rate-limit key may have. */
export function isScalar(type: Type): boolean {
  return type.kind === "string" || type.kind === "number" || type.kind === "bool" || type.kind === "enum";
}

export function isCollection(type: Type): type is Extract<Type, { kind: "set" | "list" }> {
  return type.kind === "set" || type.kind === "list";
}

/** Whether a poisoned type hides anywhere inside (a schema that failed to resolve). */
export function containsError(type: Type): boolean {
  switch (type.kind) {
    case "error":
      return true;
    case "set":
    case "list":
      return containsError(type.element);
    case "record":
      return type.fields.some((f) => containsError(f.type));
    default:
      return false;
  }
}
