// Names and dotted paths: resolves a bare name (quantifier variable, `let`, schema root, or an enum
// member the context expects), a qualified member `Clearance.secret`, and field reads down the
// schema. Guard checking is separate (`checkGuards`) so that `has p` and limit keys, which read no
// value, can reuse the resolution.

import type { Expr, FieldExpr, NameExpr } from "../ast/nodes.js";
import { schemaRoot, type Env } from "./env.js";
import { closestMatch, suggestionHint } from "./fuzzy.js";
import { ERROR, type EnumType } from "./type-ops.js";
import { typeToString, type Type } from "../ast/types.js";

/** One prefix of an input or variable path: `action`, then `action.target`. */
export interface PathStep {
  key: string;
  optional: boolean;
  node: NameExpr | FieldExpr;
}

export interface PathInfo {
  type: Type;
  /** The prefixes of a path read from the input or a quantifier variable; null for anything else. */
  steps: PathStep[] | null;
}

export function isPathExpr(expr: Expr): expr is NameExpr | FieldExpr {
  return expr.kind === "Name" || expr.kind === "FieldAccess";
}

/**
 * Types any expression (check/expressions.ts). A path may start from one (`(a or b).x` is an error the
 * checker still types), so the path typer is handed it rather than importing it back.
 */
export type ExprTyper = (expr: Expr, env: Env) => Type;

/** Types a name or field chain, annotating every node with `$type` and `$ref`. */
export function typePath(
  expr: NameExpr | FieldExpr,
  env: Env,
  expected: Type | undefined,
  typeExpr: ExprTyper,
): PathInfo {
  const info = expr.kind === "Name" ? typeName(expr, env, expected) : typeFieldAccess(expr, env, typeExpr);
  expr.$type = info.type;
  return info;
}

/** Reports the first optional prefix of the path that no `has` guards (once per path). */
export function checkGuards(info: PathInfo, env: Env): void {
  const unguarded = info.steps?.find((step) => step.optional && !env.guards.has(step.key));
  if (unguarded === undefined) return;
  env.globals.reporter.error(
    "MG2020",
    unguarded.node.span,
    `optional field \`${unguarded.key}\` is read without a \`has\` guard`,
    `write \`has ${unguarded.key} and …\` before reading it`,
  );
}

function isBound(name: string, env: Env): boolean {
  return env.variables.has(name) || env.globals.hasLet(name) || schemaRoot(env, name) !== undefined;
}

function typeName(expr: NameExpr, env: Env, expected: Type | undefined): PathInfo {
  const { name } = expr;
  const member = expected?.kind === "enum" && expected.members.includes(name) ? expected : undefined;
  if (member !== undefined && isBound(name, env)) return reportAmbiguous(expr, member, env);
  if (member !== undefined) {
    expr.$ref = { kind: "enumMember", enumName: member.name, member: name };
    return { type: member, steps: null };
  }
  const variable = env.variables.get(name);
  if (variable !== undefined) {
    expr.$ref = { kind: "variable", name };
    return { type: variable, steps: [{ key: name, optional: false, node: expr }] };
  }
  const letType = env.globals.letType(name, expr.span);
  if (letType !== undefined) {
    expr.$ref = { kind: "let", name };
    return { type: letType, steps: null };
  }
  const root = schemaRoot(env, name);
  if (root !== undefined) return typeInputRoot(expr, root, env);
  reportUnknownName(expr, env, expected);
  return { type: ERROR, steps: null };
}

function reportAmbiguous(expr: NameExpr, member: EnumType, env: Env): PathInfo {
  const what = env.variables.has(expr.name)
    ? "a quantifier variable"
    : env.globals.hasLet(expr.name)
      ? "a `let`"
      : "a schema field";
  env.globals.reporter.error(
    "MG2043",
    expr.span,
    `\`${expr.name}\` is both ${what} and a member of \`${member.name}\``,
    `write \`${member.name}.${expr.name}\` for the member, or rename the ${what.replace(/^an? /, "")}`,
  );
  return { type: ERROR, steps: null };
}

function typeInputRoot(expr: NameExpr, root: { name: string; optional: boolean; type: Type }, env: Env): PathInfo {
  const { reporter } = env.globals;
  if (env.input.kind === "none") {
    reporter.error(
      "MG2060",
      expr.span,
      `\`let ${env.input.letName}\` reads the input field \`${root.name}\``,
      "a `let` is a compile-time constant; test the input in a rule's `when`",
    );
    return { type: ERROR, steps: null };
  }
  if (env.input.kind === "agentOnly" && root.name !== "agent") {
    reporter.error(
      "MG2071",
      expr.span,
      `registration conditions may read only \`agent\`, not \`${root.name}\``,
      'the registration request is `{"agent": {…}}`',
    );
    return { type: ERROR, steps: null };
  }
  expr.$ref = { kind: "input" };
  return { type: root.type, steps: [{ key: root.name, optional: root.optional, node: expr }] };
}

function reportUnknownName(expr: NameExpr, env: Env, expected: Type | undefined): void {
  const { name } = expr;
  const { reporter, enums } = env.globals;
  if (enums.has(name)) {
    const example = enums.get(name)!.members[0];
    reporter.error(
      "MG2010",
      expr.span,
      `\`${name}\` is an enum type, not a value`,
      example === undefined ? "enum types are not values" : `write a member, e.g. \`${name}.${example}\``,
    );
    return;
  }
  const owners = [...enums.values()].filter((e) => e.members.includes(name));
  if (owners.length > 0) {
    const spelled = owners.map((e) => `\`${e.name}.${name}\``).join(" or ");
    reporter.error(
      "MG2003",
      expr.span,
      `\`${name}\` is an enum member, but no enum is expected here`,
      `write ${spelled}`,
    );
    return;
  }
  const members = expected?.kind === "enum" ? expected.members : [];
  const candidates = [
    ...env.variables.keys(),
    ...env.globals.letNames(),
    ...(env.input.kind === "none" ? [] : env.globals.schema.fields.map((f) => f.name)),
    ...members,
  ];
  const close = closestMatch(name, candidates);
  if (expected?.kind === "enum" && (close === undefined || members.includes(close))) {
    const hint = suggestionHint(name, members, `members of \`${expected.name}\``);
    reporter.error("MG2002", expr.span, `\`${name}\` is not a member of \`${expected.name}\``, hint);
    return;
  }
  reporter.error("MG2003", expr.span, `unknown name \`${name}\``, suggestionHint(name, candidates, "names"));
}

function typeFieldAccess(expr: FieldExpr, env: Env, typeExpr: ExprTyper): PathInfo {
  if (expr.object.kind === "Name" && !isBound(expr.object.name, env) && env.globals.enums.has(expr.object.name)) {
    return typeQualifiedMember(expr, expr.object, env.globals.enums.get(expr.object.name)!, env);
  }
  const object: PathInfo = isPathExpr(expr.object)
    ? typePath(expr.object, env, undefined, typeExpr)
    : { type: typeExpr(expr.object, env), steps: null };
  if (object.type.kind === "error") return { type: ERROR, steps: null };
  const name = expr.field.name;
  const owner = object.steps === null ? "this value" : `\`${object.steps[object.steps.length - 1]!.key}\``;
  if (object.type.kind !== "record") {
    env.globals.reporter.error(
      "MG2010",
      expr.field.span,
      `cannot read field \`${name}\` of ${owner}, a \`${typeToString(object.type)}\``,
      "only records have fields",
    );
    return { type: ERROR, steps: null };
  }
  const field = object.type.fields.find((f) => f.name === name);
  if (field === undefined) {
    const hint = suggestionHint(
      name,
      object.type.fields.map((f) => f.name),
      "fields",
    );
    env.globals.reporter.error("MG2001", expr.field.span, `unknown field \`${name}\` on ${owner}`, hint);
    return { type: ERROR, steps: null };
  }
  const steps =
    object.steps === null
      ? null
      : [
          ...object.steps,
          { key: `${object.steps[object.steps.length - 1]!.key}.${name}`, optional: field.optional, node: expr },
        ];
  return { type: field.type, steps };
}

function typeQualifiedMember(expr: FieldExpr, object: NameExpr, enumType: EnumType, env: Env): PathInfo {
  object.$ref = { kind: "enumType", enumName: enumType.name };
  object.$type = enumType;
  const member = expr.field.name;
  if (!enumType.members.includes(member)) {
    const hint = suggestionHint(member, enumType.members, `members of \`${enumType.name}\``);
    env.globals.reporter.error(
      "MG2002",
      expr.field.span,
      `\`${member}\` is not a member of \`${enumType.name}\``,
      hint,
    );
    return { type: ERROR, steps: null };
  }
  expr.$ref = { kind: "enumMember", enumName: enumType.name, member };
  return { type: enumType, steps: null };
}
