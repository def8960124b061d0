// Constant folding of `let` values: evaluates an already-typed expression over literals, enum
// members, other `let`s and quantifier variables. Values follow docs/language.md, "Expressions": enum members are
// their names, sets are duplicate-free arrays, strings order by code point.

import type { BinaryExpr, CallExpr, Expr, QuantifierExpr } from "../ast/nodes.js";
import { applyOperation, operation, type CollectionInfo } from "../operations/registry.js";
import type { ConstValue } from "./model.js";
import type { Type } from "../ast/types.js";
import { InternalCompilerError } from "../diagnostics/internal-error.js";

type LetLookup = (name: string) => ConstValue | undefined;
type Scope = ReadonlyMap<string, ConstValue>;

/** Raised when a `let` this one reads has no value (its own problem was reported already). */
class Unavailable extends Error {}

/** The value of a typed constant expression, or undefined when a `let` it reads has no value. */
export function foldConstant(expr: Expr, letValue: LetLookup): ConstValue | undefined {
  try {
    return evaluate(expr, letValue, new Map());
  } catch (e) {
    if (e instanceof Unavailable) return undefined;
    throw e;
  }
}

export function isFiniteConst(value: ConstValue): boolean {
  if (Array.isArray(value)) return value.every(isFiniteConst);
  return typeof value !== "number" || Number.isFinite(value);
}

function evaluate(expr: Expr, lets: LetLookup, scope: Scope): ConstValue {
  switch (expr.kind) {
    case "String":
    case "Number":
    case "Bool":
      return expr.value;
    case "Name":
    case "FieldAccess":
      return evaluateName(expr.$ref, lets, scope);
    case "Collection": {
      const items = expr.elements.map((e) => evaluate(e, lets, scope));
      return expr.collection === "set" ? distinct(items, elementType(expr.$type)) : items;
    }
    case "Binary":
      return evaluateBinary(expr, lets, scope);
    case "Not":
      return !evaluate(expr.operand, lets, scope);
    case "Matches":
      return new RegExp(expr.pattern.value, "u").test(evaluate(expr.subject, lets, scope) as string);
    case "Call":
      return evaluateCall(
        expr,
        expr.args.map((a) => evaluate(a, lets, scope)),
      );
    case "Quantifier":
      return evaluateQuantifier(expr, lets, scope);
    default:
      throw new InternalCompilerError(`\`${expr.kind}\` cannot appear in a constant`);
  }
}

function evaluateName(ref: Extract<Expr, { kind: "Name" }>["$ref"], lets: LetLookup, scope: Scope): ConstValue {
  switch (ref?.kind) {
    case "let": {
      const value = lets(ref.name);
      if (value === undefined) throw new Unavailable();
      return value;
    }
    case "enumMember":
      return ref.member;
    case "variable":
      return scope.get(ref.name)!;
    default:
      throw new InternalCompilerError("a constant reads something that is not constant");
  }
}

function evaluateBinary(expr: BinaryExpr, lets: LetLookup, scope: Scope): ConstValue {
  const left = evaluate(expr.left, lets, scope);
  if (expr.op === "and") return left === true && evaluate(expr.right, lets, scope) === true;
  if (expr.op === "or") return left === true || evaluate(expr.right, lets, scope) === true;
  const right = evaluate(expr.right, lets, scope);
  const type = expr.left.$type!;
  switch (expr.op) {
    case "==":
      return constEquals(left, right, type);
    case "!=":
      return !constEquals(left, right, type);
    case "<":
      return compare(left, right, type) < 0;
    case "<=":
      return compare(left, right, type) <= 0;
    case ">":
      return compare(left, right, type) > 0;
    case ">=":
      return compare(left, right, type) >= 0;
    case "in":
      return typeof right === "string"
        ? right.includes(left as string)
        : (right as ConstValue[]).some((item) => constEquals(left, item, type));
    case "+":
      return (left as number) + (right as number);
    case "-":
      return (left as number) - (right as number);
    case "*":
      return (left as number) * (right as number);
  }
}

/** A builtin on constant arguments: the operation registry's one JS implementation. */
function evaluateCall(expr: CallExpr, args: ConstValue[]): ConstValue {
  const op = operation(expr.callee.name);
  const collection = (i: number): CollectionInfo => {
    const type = expr.args[i]!.$type!;
    const element = elementType(type);
    const sameElement = (a: unknown, b: unknown) => constEquals(a as ConstValue, b as ConstValue, element);
    return { isSet: type.kind === "set", sameElement };
  };
  const value = op === undefined ? undefined : applyOperation(op, args, collection);
  if (value === undefined)
    throw new InternalCompilerError(`\`${expr.callee.name}\` cannot be folded on these arguments`);
  return value;
}

function evaluateQuantifier(expr: QuantifierExpr, lets: LetLookup, scope: Scope): ConstValue {
  const items = evaluate(expr.collection, lets, scope) as ConstValue[];
  const holds = (item: ConstValue) => evaluate(expr.body, lets, new Map(scope).set(expr.variable.name, item)) === true;
  return expr.quantifier === "any" ? items.some(holds) : items.every(holds);
}

function elementType(type: Type | undefined): Type {
  return type !== undefined && (type.kind === "set" || type.kind === "list") ? type.element : { kind: "empty" };
}

function distinct(items: ConstValue[], element: Type): ConstValue[] {
  const result: ConstValue[] = [];
  for (const item of items) if (!result.some((kept) => constEquals(kept, item, element))) result.push(item);
  return result;
}

/** Structural equality; sets compare regardless of order, numbers by IEEE-754 (`0 == -0`). */
function constEquals(a: ConstValue, b: ConstValue, type: Type): boolean {
  if (!Array.isArray(a) || !Array.isArray(b)) return a === b;
  const element = elementType(type);
  if (type.kind === "set") return a.length === b.length && a.every((x) => b.some((y) => constEquals(x, y, element)));
  return a.length === b.length && a.every((x, i) => constEquals(x, b[i]!, element));
}

/** Orders numbers numerically, strings by code point, enum members by declaration order. */
function compare(a: ConstValue, b: ConstValue, type: Type): number {
  if (type.kind === "enum") return type.members.indexOf(a as string) - type.members.indexOf(b as string);
  if (typeof a === "number" && typeof b === "number") return a - b;
  return compareCodePoints(a as string, b as string);
}

function compareCodePoints(a: string, b: string): number {
  const left = [...a];
  const right = [...b];
  for (let i = 0; i < Math.min(left.length, right.length); i++) {
    const diff = left[i]!.codePointAt(0)! - right[i]!.codePointAt(0)!;
    if (diff !== 0) return diff;
  }
  return left.length - right.length;
}
