// Expression evaluation (docs/language.md, "Expressions"), one small function per node kind. The checker has
// resolved every name (`$ref`) and typed every expression (`$type`); evaluation follows those
// annotations and never throws: a value of the wrong shape makes its operation false or absent.

import type {
  BinaryExpr,
  CallExpr,
  CollectionLiteral,
  Expr,
  FieldExpr,
  MatchesExpr,
  NameExpr,
  QuantifierExpr,
  Resolution,
} from "../ast/nodes.js";
import type { ConstValue } from "../check/model.js";
import { applyOperation, operation, type CollectionInfo } from "../operations/registry.js";
import {
  compareValues,
  contains,
  fieldOf,
  operandType,
  orderSatisfies,
  valuesEqual,
  type MaybeValue,
  type RecordValue,
  type Value,
} from "./values.js";

/** What an expression can see: the projected input, the folded `let`s and the quantifier variables. */
export interface Scope {
  readonly input: RecordValue;
  readonly lets: ReadonlyMap<string, ConstValue>;
  readonly variables: ReadonlyMap<string, Value>;
}

export function rootScope(input: RecordValue, lets: ReadonlyMap<string, ConstValue>): Scope {
  return { input, lets, variables: new Map() };
}

/** Whether a condition holds: true exactly when it evaluates to `true`. */
export function holds(expr: Expr, scope: Scope): boolean {
  return evaluate(expr, scope) === true;
}

export function evaluate(expr: Expr, scope: Scope): MaybeValue {
  switch (expr.kind) {
    case "Name":
      return evaluateName(expr, scope);
    case "FieldAccess":
      return evaluateField(expr, scope);
    case "String":
    case "Number":
    case "Bool":
      return expr.value;
    case "Null":
      return null;
    case "Collection":
      return evaluateCollection(expr, scope);
    case "Binary":
      return evaluateBinary(expr, scope);
    case "Not":
      return !holds(expr.operand, scope);
    case "Has":
      return evaluate(expr.path, scope) !== undefined;
    case "Matches":
      return evaluateMatches(expr, scope);
    case "Call":
      return evaluateCall(expr, scope);
    case "Quantifier":
      return evaluateQuantifier(expr, scope);
  }
}

function resolve(ref: Resolution | undefined, name: string, scope: Scope): MaybeValue {
  switch (ref?.kind) {
    case "input":
      return fieldOf(scope.input, name);
    case "let":
      return scope.lets.get(ref.name);
    case "enumMember":
      return ref.member;
    case "variable":
      return scope.variables.get(ref.name);
    default:
      // An enum type name is not a value; an unresolved name was reported by the checker.
      return undefined;
  }
}

function evaluateName(expr: NameExpr, scope: Scope): MaybeValue {
  return resolve(expr.$ref, expr.name, scope);
}

/** `Clearance.secret` is a member; `a.b` reads a field, absent when `a` is (what `has` tests). */
function evaluateField(expr: FieldExpr, scope: Scope): MaybeValue {
  if (expr.$ref?.kind === "enumMember") return expr.$ref.member;
  return fieldOf(evaluate(expr.object, scope), expr.field.name);
}

function evaluateCollection(expr: CollectionLiteral, scope: Scope): Value[] {
  return expr.elements.map((element) => evaluate(element, scope) ?? null);
}

function evaluateBinary(expr: BinaryExpr, scope: Scope): MaybeValue {
  const { op, left, right } = expr;
  if (op === "and") return holds(left, scope) && holds(right, scope);
  if (op === "or") return holds(left, scope) || holds(right, scope);
  const a = evaluate(left, scope);
  const b = evaluate(right, scope);
  switch (op) {
    case "==":
      return valuesEqual(a, b, operandType(left.$type, right.$type));
    case "!=":
      return !valuesEqual(a, b, operandType(left.$type, right.$type));
    case "in":
      return contains(b, a, right.$type);
    case "+":
    case "-":
    case "*":
      return arithmetic(op, a, b);
    default:
      return orderSatisfies(op, compareValues(a, b, operandType(left.$type, right.$type)));
  }
}

/** IEEE-754 double arithmetic; anything but two numbers is absent. */
function arithmetic(op: "+" | "-" | "*", a: MaybeValue, b: MaybeValue): number | undefined {
  if (typeof a !== "number" || typeof b !== "number") return undefined;
  return op === "+" ? a + b : op === "-" ? a - b : a * b;
}

// Compiled once per pattern; null marks a pattern JavaScript rejects (the checker reports it).
const regexCache = new Map<string, RegExp | null>();

function compiledRegex(pattern: string): RegExp | null {
  let regex = regexCache.get(pattern);
  if (regex === undefined) {
    try {
      regex = new RegExp(pattern, "u");
    } catch {
      regex = null;
    }
    regexCache.set(pattern, regex);
  }
  return regex;
}

/** An unanchored search, like RE2 and `RegExp.test` (no `g` flag, so no `lastIndex` state). */
function evaluateMatches(expr: MatchesExpr, scope: Scope): boolean {
  const subject = evaluate(expr.subject, scope);
  const regex = compiledRegex(expr.pattern.value);
  return typeof subject === "string" && regex !== null && regex.test(subject);
}

/** A builtin: the operation registry's one JS implementation, shared with the IR interpreter. */
function evaluateCall(expr: CallExpr, scope: Scope): MaybeValue {
  const op = operation(expr.callee.name);
  if (op === undefined) return undefined;
  const collection = (i: number): CollectionInfo => {
    const type = expr.args[i]?.$type;
    const element = type?.kind === "set" || type?.kind === "list" ? type.element : undefined;
    return { isSet: type?.kind === "set", sameElement: (a, b) => valuesEqual(a as Value, b as Value, element) };
  };
  return applyOperation(
    op,
    expr.args.map((arg) => evaluate(arg, scope)),
    collection,
  );
}

/** `any` is false and `all` is true on an empty collection; both stop at the first decisive element. */
function evaluateQuantifier(expr: QuantifierExpr, scope: Scope): boolean {
  const collection = evaluate(expr.collection, scope);
  const elements = Array.isArray(collection) ? collection : [];
  const bodyHolds = (element: Value): boolean =>
    holds(expr.body, { ...scope, variables: new Map(scope.variables).set(expr.variable.name, element) });
  return expr.quantifier === "any" ? elements.some(bodyHolds) : elements.every(bodyHolds);
}
