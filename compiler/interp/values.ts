// Runtime values of the reference interpreter and the relations on them (docs/language.md, "Expressions"):
// structural equality, ordering, membership and counting. Every function is total: a checked
// constitution never feeds them mismatched values, and an unchecked one gets `false`, never a throw.

import { scalarSet } from "../operations/scalar-set.js";
import type { Type } from "../ast/types.js";

/** A JSON value after projection onto the schema. Enum members are their names; sets and lists are arrays. */
export type Value = string | number | boolean | null | Value[] | RecordValue;
export interface RecordValue {
  [field: string]: Value;
}

/** What an expression evaluates to; `undefined` is an absent optional field. */
export type MaybeValue = Value | undefined;

export function isRecord(value: MaybeValue): value is RecordValue {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Own fields only, so a field named `constructor` never reads the prototype. */
export function fieldOf(value: MaybeValue, name: string): MaybeValue {
  return isRecord(value) && Object.prototype.hasOwnProperty.call(value, name) ? value[name] : undefined;
}

function elementType(type: Type | undefined): Type | undefined {
  return type !== undefined && (type.kind === "set" || type.kind === "list") ? type.element : undefined;
}

function fieldType(type: Type | undefined, name: string): Type | undefined {
  return type?.kind === "record" ? type.fields.find((f) => f.name === name)?.type : undefined;
}

/** The more informative of two operand types: `set<string>` over `set<nothing>`, anything over `null`. */
export function operandType(left: Type | undefined, right: Type | undefined): Type | undefined {
  const vague = (t: Type | undefined): boolean =>
    t === undefined || t.kind === "empty" || t.kind === "error" || t.kind === "null";
  if (vague(left)) return right;
  if ((left!.kind === "set" || left!.kind === "list") && right?.kind === left!.kind && vague(left!.element))
    return right;
  return left;
}

/**
 * Structural equality. Numbers follow IEEE-754 (`0 == -0`, `NaN != NaN`); sets compare as sets
 * (order and duplicates do not matter), lists element by element; an absent field equals `null`.
 */
export function valuesEqual(a: MaybeValue, b: MaybeValue, type: Type | undefined): boolean {
  const x = a ?? null;
  const y = b ?? null;
  if (Array.isArray(x) && Array.isArray(y))
    return type?.kind === "set" ? setsEqual(x, y, type.element) : listsEqual(x, y, elementType(type));
  if (isRecord(x) && isRecord(y)) return recordsEqual(x, y, type);
  return x === y;
}

function listsEqual(a: Value[], b: Value[], element: Type | undefined): boolean {
  return a.length === b.length && a.every((item, i) => valuesEqual(item, b[i], element));
}

function setsEqual(a: Value[], b: Value[], element: Type): boolean {
  const scalars = scalarSet(a);
  const others = scalars === null ? null : scalarSet(b);
  if (scalars === null || others === null)
    return a.every((item) => isMember(item, b, element)) && b.every((item) => isMember(item, a, element));
  // NaN equals nothing: a set holding it is not a subset of any set.
  if (scalars.nans > 0 || others.nans > 0) return false;
  for (const item of scalars.items) if (!others.items.has(item)) return false;
  for (const item of others.items) if (!scalars.items.has(item)) return false;
  return true;
}

function recordsEqual(a: RecordValue, b: RecordValue, type: Type | undefined): boolean {
  const names = new Set([...Object.keys(a), ...Object.keys(b)]);
  for (const name of names) if (!valuesEqual(fieldOf(a, name), fieldOf(b, name), fieldType(type, name))) return false;
  return true;
}

export function isMember(item: MaybeValue, collection: Value[], element: Type | undefined): boolean {
  return collection.some((candidate) => valuesEqual(item, candidate, element));
}

/** `item in container`: element of a set/list, or substring of a string. */
export function contains(container: MaybeValue, item: MaybeValue, containerType: Type | undefined): boolean {
  if (Array.isArray(container)) return isMember(item, container, elementType(containerType));
  return typeof container === "string" && typeof item === "string" && container.includes(item);
}

/** Compares strings by Unicode code point, not by UTF-16 code unit as JavaScript's `<` does. */
export function compareCodePoints(a: string, b: string): number {
  const shorter = Math.min(a.length, b.length);
  for (let i = 0; i < shorter; i++) {
    const x = a.codePointAt(i)!;
    const y = b.codePointAt(i)!;
    if (x !== y) return x < y ? -1 : 1;
    if (x > 0xffff) i++; // both strings hold the same surrogate pair here
  }
  return Math.sign(a.length - b.length);
}

/**
 * The order of two values: negative, zero or positive; null when they are not ordered (then every
 * comparison is false, as IEEE-754 has it for NaN). Ordered enums compare by declaration index.
 */
/** Whether an ordering result (negative, zero, positive; null when unordered) satisfies `op`. */
export function orderSatisfies(op: "<" | "<=" | ">" | ">=", order: number | null): boolean {
  if (order === null) return false;
  switch (op) {
    case "<":
      return order < 0;
    case "<=":
      return order <= 0;
    case ">":
      return order > 0;
    case ">=":
      return order >= 0;
  }
}

export function compareValues(a: MaybeValue, b: MaybeValue, type: Type | undefined): number | null {
  if (typeof a === "number" && typeof b === "number") return a < b ? -1 : a > b ? 1 : a === b ? 0 : null;
  if (typeof a !== "string" || typeof b !== "string") return null;
  if (type?.kind !== "enum") return compareCodePoints(a, b);
  const left = type.members.indexOf(a);
  const right = type.members.indexOf(b);
  return type.ordered && left >= 0 && right >= 0 ? left - right : null;
}
