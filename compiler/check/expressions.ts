// Types expressions and resolves names, annotating every node with `$type` (and names with `$ref`).
// A node whose problem was reported gets the poisoned type `error`, which every rule accepts, so one
// mistake yields one diagnostic. Bare enum members need an expected enum: in a comparison or `in`,
// the side that does not need context is typed first and its type becomes the other side's context.

import type {
  BinaryExpr,
  CallExpr,
  CollectionLiteral,
  Expr,
  HasExpr,
  MatchesExpr,
  QuantifierExpr,
} from "../ast/nodes.js";
import { parseRegex } from "../regex/parse.js";
import { patternAutomaton } from "../regex/automaton.js";
import { acceptsParam, BUILTINS, paramName } from "./builtins.js";
import { schemaRoot, withGuards, withVariable, type Env } from "./env.js";
import { suggestionHint } from "./fuzzy.js";
import { factsWhenFalse, factsWhenTrue } from "./guards.js";
import { spanInStringLiteral } from "./literal-span.js";
import { checkGuards, isPathExpr, typePath, type PathInfo } from "./paths.js";
import { BOOL, compatible, EMPTY, ERROR, isCollection, isOrdered, NUMBER, STRING, unify } from "./type-ops.js";
import { typeToString, type Type } from "../ast/types.js";

/** Types `expr`; `expected` only serves to resolve bare enum members. */
export function typeExpr(expr: Expr, env: Env, expected?: Type): Type {
  const type = typeNode(expr, env, expected);
  expr.$type = type;
  return type;
}

/** Types a condition (`when`, `not`, `and`/`or` operands, quantifier bodies): it must be bool. */
export function typeCondition(expr: Expr, env: Env, what: string): Type {
  const type = typeExpr(expr, env);
  if (type.kind !== "bool" && type.kind !== "error") {
    env.globals.reporter.error(
      "MG2010",
      expr.span,
      `${what} must be a bool, found \`${typeToString(type)}\``,
      'compare the value, e.g. `x == "…"`, or test presence with `has`',
    );
  }
  return BOOL;
}

function typeNode(expr: Expr, env: Env, expected: Type | undefined): Type {
  switch (expr.kind) {
    case "String":
      return STRING;
    case "Number":
      return NUMBER;
    case "Bool":
      return BOOL;
    case "Null":
      env.globals.reporter.error(
        "MG2010",
        expr.span,
        "`null` is not a value",
        "to test whether an optional field is present, write `has path` (or `not has path`)",
      );
      return ERROR;
    case "Name":
    case "FieldAccess":
      return typeRead(typePath(expr, env, expected, typeExpr), env);
    case "Collection":
      return typeCollection(expr, env, expected);
    case "Binary":
      return typeBinary(expr, env);
    case "Not":
      return typeCondition(expr.operand, env, "the operand of `not`");
    case "Has":
      return typeHas(expr, env);
    case "Matches":
      return typeMatches(expr, env);
    case "Call":
      return typeCall(expr, env);
    case "Quantifier":
      return typeQuantifier(expr, env);
  }
}

function typeRead(info: PathInfo, env: Env): Type {
  checkGuards(info, env);
  return info.type;
}

function typeCollection(expr: CollectionLiteral, env: Env, expected: Type | undefined): Type {
  const expectedElement = expected !== undefined && isCollection(expected) ? expected.element : expected;
  const types = expr.elements.map((item) => typeExpr(item, env, expectedElement));
  let element: Type = EMPTY;
  for (const [i, type] of types.entries()) {
    if (!compatible(element, type)) {
      env.globals.reporter.error(
        "MG2010",
        expr.elements[i]!.span,
        `${expr.collection} elements must share one type: found \`${typeToString(element)}\` and \`${typeToString(type)}\``,
      );
      return ERROR;
    }
    element = unify(element, type);
  }
  return element.kind === "error" ? ERROR : { kind: expr.collection, element };
}

function typeBinary(expr: BinaryExpr, env: Env): Type {
  switch (expr.op) {
    case "and":
      typeCondition(expr.left, env, "the left operand of `and`");
      typeCondition(expr.right, withGuards(env, factsWhenTrue(expr.left)), "the right operand of `and`");
      return BOOL;
    case "or":
      typeCondition(expr.left, env, "the left operand of `or`");
      typeCondition(expr.right, withGuards(env, factsWhenFalse(expr.left)), "the right operand of `or`");
      return BOOL;
    case "+":
    case "-":
    case "*":
      return typeArithmetic(expr, env);
    case "in":
      return typeIn(expr, env);
    default:
      return typeComparison(expr, env);
  }
}

function typeArithmetic(expr: BinaryExpr, env: Env): Type {
  const left = typeExpr(expr.left, env);
  const right = typeExpr(expr.right, env);
  if (left.kind === "error" || right.kind === "error") return ERROR;
  if (left.kind === "number" && right.kind === "number") return NUMBER;
  const hint =
    expr.op === "+" && (left.kind === "string" || right.kind === "string")
      ? "strings do not concatenate; `+ - *` work on numbers only"
      : "`+ - *` work on numbers only";
  env.globals.reporter.error(
    "MG2010",
    expr.span,
    `\`${expr.op}\` needs two numbers, found \`${typeToString(left)}\` and \`${typeToString(right)}\``,
    hint,
  );
  return ERROR;
}

/**
 * A bare name that is no variable, `let` or schema root (so it can only be an enum member), or a
 * collection literal made of such names: it must be typed after the other operand.
 */
function needsContext(expr: Expr, env: Env): boolean {
  if (expr.kind === "Name")
    return !env.variables.has(expr.name) && !env.globals.hasLet(expr.name) && schemaRoot(env, expr.name) === undefined;
  return expr.kind === "Collection" && expr.elements.every((e) => needsContext(e, env));
}

function typeComparison(expr: BinaryExpr, env: Env): Type {
  const [left, right] = typeOperandPair(expr.left, expr.right, env, (other) => other);
  if (left.kind === "error" || right.kind === "error") return BOOL;
  const { reporter } = env.globals;
  if (!compatible(left, right)) {
    reporter.error(
      "MG2010",
      expr.span,
      `cannot compare \`${typeToString(left)}\` with \`${typeToString(right)}\``,
      comparisonHint(left, right),
    );
  } else if (expr.op !== "==" && expr.op !== "!=" && !isOrdered(left)) {
    reporter.error(
      "MG2011",
      expr.span,
      `\`${expr.op}\` needs an ordered type, found \`${typeToString(left)}\``,
      orderingHint(left),
    );
  }
  return BOOL;
}

function comparisonHint(left: Type, right: Type): string {
  if (left.kind === "enum" && right.kind === "enum") return "values of different enums are never equal";
  const enumSide = left.kind === "enum" ? left : right.kind === "enum" ? right : undefined;
  if (enumSide !== undefined)
    return `compare with a member of \`${enumSide.name}\`, e.g. \`${enumSide.members[0] ?? "member"}\``;
  return "both sides of a comparison must have the same type";
}

function orderingHint(type: Type): string {
  if (type.kind === "enum")
    return `\`${type.name}\` is unordered: declare it with \`<\` between members (\`enum ${type.name} { a < b }\`), or compare with \`==\` or \`in\``;
  return "`< <= > >=` work on numbers, strings and ordered enums";
}

/**
 * Types two operands so that a bare enum member on either side is resolved against the other.
 * `contextFor` turns the type of the side typed first into the context of the other side.
 */
function typeOperandPair(
  left: Expr,
  right: Expr,
  env: Env,
  contextFor: (first: Type, firstIsLeft: boolean) => Type | undefined,
): [Type, Type] {
  if (needsContext(left, env) && !needsContext(right, env)) {
    const rightType = typeExpr(right, env);
    return [typeInContext(left, env, rightType, contextFor(rightType, false)), rightType];
  }
  const leftType = typeExpr(left, env);
  return [leftType, typeInContext(right, env, leftType, contextFor(leftType, true))];
}

/** Types the second operand; bare members that the poisoned first operand cannot give a context are poisoned too. */
function typeInContext(expr: Expr, env: Env, first: Type, context: Type | undefined): Type {
  if (first.kind !== "error" || !needsContext(expr, env) || !namesOnlyMembers(expr, env))
    return typeExpr(expr, env, context);
  expr.$type = ERROR;
  return ERROR;
}

function namesOnlyMembers(expr: Expr, env: Env): boolean {
  if (expr.kind === "Name") return [...env.globals.enums.values()].some((e) => e.members.includes(expr.name));
  return expr.kind === "Collection" && expr.elements.every((e) => namesOnlyMembers(e, env));
}

function typeIn(expr: BinaryExpr, env: Env): Type {
  // Typed first, the element gives a collection literal on the right its element context, and vice versa.
  const [element, container] = typeOperandPair(expr.left, expr.right, env, (first, firstIsLeft) =>
    firstIsLeft ? { kind: "set", element: first } : isCollection(first) ? first.element : first,
  );
  if (element.kind === "error" || container.kind === "error") return BOOL;
  const { reporter } = env.globals;
  if (container.kind === "string") {
    if (element.kind !== "string")
      reporter.error(
        "MG2010",
        expr.span,
        `\`in\` on a string needs a string on the left, found \`${typeToString(element)}\``,
        "`s in t` tests whether `s` is a substring of `t`",
      );
  } else if (!isCollection(container)) {
    reporter.error(
      "MG2010",
      expr.right.span,
      `\`in\` needs a set, a list or a string on the right, found \`${typeToString(container)}\``,
      'write `x in {a, b}`, `x in some_set` or `"sub" in some_string`',
    );
  } else if (!compatible(element, container.element)) {
    reporter.error(
      "MG2010",
      expr.span,
      `cannot look for \`${typeToString(element)}\` in \`${typeToString(container)}\``,
      "the element type and the collection's element type must match",
    );
  }
  return BOOL;
}

function typeHas(expr: HasExpr, env: Env): Type {
  const { reporter } = env.globals;
  if (!isPathExpr(expr.path)) {
    typeExpr(expr.path, env);
    reporter.error("MG2010", expr.path.span, "`has` needs a field path", "write `has action.target`");
    return BOOL;
  }
  const info = typePath(expr.path, env, undefined, typeExpr);
  if (info.type.kind === "error") return BOOL;
  if (info.steps === null) {
    reporter.error("MG2010", expr.path.span, "`has` needs a path into the input", "write `has action.target`");
  } else if (!info.steps.some((step) => step.optional)) {
    const path = info.steps[info.steps.length - 1]!.key;
    reporter.warning(
      "MG2090",
      expr.span,
      `\`has ${path}\` is always true: no part of the path is optional`,
      `\`${path}\` is required by the schema; drop the \`has\``,
    );
  }
  return BOOL;
}

const AUTOMATON_HINT =
  "simplify the pattern: bounded repetitions followed by `$`, or of characters that nearby parts also match, " +
  "multiply states; shorten the bounds or split the pattern into several `matches`";

function typeMatches(expr: MatchesExpr, env: Env): Type {
  const subject = typeExpr(expr.subject, env);
  expr.pattern.$type = STRING;
  const { reporter } = env.globals;
  if (subject.kind !== "string" && subject.kind !== "error") {
    reporter.error(
      "MG2010",
      expr.subject.span,
      `\`matches\` needs a string on the left, found \`${typeToString(subject)}\``,
    );
  }
  const parsed = parseRegex(expr.pattern.value);
  if (!parsed.ok) {
    const span = spanInStringLiteral(expr.pattern, parsed.offset, env.globals.sourceText(expr.pattern.span.file));
    reporter.error(
      "MG2030",
      span,
      `invalid regular expression: ${parsed.message}`,
      parsed.hint ?? "the dialect is the common subset of RE2 and JavaScript (see docs/language.md)",
    );
    return BOOL;
  }
  // Matching must stay linear, so every regex becomes DFAs at build time; one that explodes past
  // the state caps is a compile error here, not an internal error in the backend.
  const automaton = patternAutomaton(expr.pattern.value);
  if (!automaton.ok) {
    const message = `regular expression is too large to compile to an automaton: ${automaton.message}`;
    reporter.error("MG2030", expr.pattern.span, message, AUTOMATON_HINT);
  }
  return BOOL;
}

function typeCall(expr: CallExpr, env: Env): Type {
  const args = expr.args.map((arg) => typeExpr(arg, env));
  const name = expr.callee.name;
  const builtin = BUILTINS.get(name);
  const { reporter } = env.globals;
  if (builtin === undefined) {
    reporter.error(
      "MG2005",
      expr.callee.span,
      `unknown function \`${name}\``,
      suggestionHint(name, [...BUILTINS.keys()], "functions"),
    );
    return ERROR;
  }
  if (args.length !== builtin.params.length) {
    const expected = `${builtin.params.length} argument${builtin.params.length === 1 ? "" : "s"}`;
    reporter.error(
      "MG2005",
      expr.span,
      `\`${name}\` takes ${expected}, found ${args.length}`,
      `\`${builtin.signature}\``,
    );
    return ERROR;
  }
  let ok = true;
  builtin.params.forEach((kind, i) => {
    if (acceptsParam(kind, args[i]!)) return;
    ok = false;
    reporter.error(
      "MG2010",
      expr.args[i]!.span,
      `argument ${i + 1} of \`${name}\` must be a ${paramName(kind)}, found \`${typeToString(args[i]!)}\``,
      `\`${builtin.signature}\``,
    );
  });
  return ok ? builtin.result : ERROR;
}

function typeQuantifier(expr: QuantifierExpr, env: Env): Type {
  const collection = typeExpr(expr.collection, env);
  const { reporter } = env.globals;
  let element: Type = ERROR;
  if (isCollection(collection)) element = collection.element;
  else if (collection.kind !== "error") {
    reporter.error(
      "MG2010",
      expr.collection.span,
      `\`${expr.quantifier}\` needs a set or a list, found \`${typeToString(collection)}\``,
    );
  }
  const name = expr.variable.name;
  const shadowed = env.variables.has(name)
    ? "a quantifier variable"
    : env.globals.hasLet(name)
      ? "a `let`"
      : schemaRoot(env, name) !== undefined
        ? "a schema field"
        : undefined;
  if (shadowed !== undefined)
    reporter.error(
      "MG2042",
      expr.variable.span,
      `\`${name}\` is already ${shadowed}`,
      "choose another name for the quantifier variable",
    );
  typeCondition(expr.body, withVariable(env, name, element), `the body of \`${expr.quantifier}\``);
  return BOOL;
}
