// Message templates: `{path}` holes, `{{`/`}}` literal braces, hole spans in source columns.

import { describe, expect, test } from "vitest";
import type { ArticleDecl, ForbidRule, Template } from "../../compiler/ast/nodes.js";
import { parseFile } from "../../compiler/syntax/index.js";
import { sexpr } from "../support/sexpr.js";

const PREFIX = 'article I "t" { forbid a when b message ';

function template(literal: string): Template {
  const { file, diagnostics } = parseFile({ path: "t.constitution", text: `${PREFIX}${literal} }` });
  expect(diagnostics).toEqual([]);
  return ((file.declarations[0] as ArticleDecl).items[0] as ForbidRule).message!;
}

function describeParts(t: Template): string[] {
  return t.parts.map((p) => (p.kind === "Text" ? `text:${p.text}` : `hole:${sexpr(p.expr)}`));
}

describe("message templates", () => {
  test("text and holes alternate; raw keeps the literal as written", () => {
    const t = template('"agent {agent.id} may not read {action.target}"');
    expect(describeParts(t)).toEqual([
      "text:agent ",
      "hole:(. agent id)",
      "text: may not read ",
      "hole:(. action target)",
    ]);
    expect(t.raw).toBe('"agent {agent.id} may not read {action.target}"');
  });

  test("{{ and }} are literal braces", () => {
    expect(describeParts(template('"{{x}} {y} }}"'))).toEqual(["text:{x} ", "hole:y", "text: }"]);
  });

  test("hole spans point at source columns even after escapes", () => {
    const t = template('"\\u00e9\\t{agent.id}"');
    const hole = t.parts[1]!;
    if (hole.kind !== "Hole") throw new Error("expected a hole");
    const column = PREFIX.length + 1 + '"\\u00e9\\t{'.length;
    expect([hole.expr.span.start.column, hole.expr.span.end.column]).toEqual([column, column + "agent.id".length]);
    if (hole.expr.kind !== "FieldAccess") throw new Error("expected a field access");
    expect(hole.expr.field.span.start.column).toBe(column + "agent.".length);
  });

  test("an escaped letter inside a hole still maps to its source columns", () => {
    const hole = template('"{\\u0061.b}"').parts[0]!;
    if (hole.kind !== "Hole") throw new Error("expected a hole");
    expect(sexpr(hole.expr)).toBe("(. a b)");
    expect(hole.expr.span.end.column - hole.expr.span.start.column).toBe("\\u0061.b".length);
  });
});
