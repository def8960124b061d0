// The checker's output contract with the interpreter and the planner (compiler/check/index.ts).

import { createHash } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import type { Expr } from "../../compiler/ast/nodes.js";
import type { CheckedConstitution } from "../../compiler/check/model.js";
import { compile, PRELUDE } from "./support.js";

const EXPR_KINDS = new Set([
  "Name",
  "FieldAccess",
  "String",
  "Number",
  "Bool",
  "Null",
  "Collection",
  "Binary",
  "Not",
  "Has",
  "Matches",
  "Call",
  "Quantifier",
]);

/** Every expression node below `root` (spans and `$` annotations are not descended into). */
function expressionsIn(root: unknown): Expr[] {
  const found: Expr[] = [];
  const visit = (value: unknown): void => {
    if (Array.isArray(value)) return value.forEach(visit);
    if (value === null || typeof value !== "object") return;
    const record = value as Record<string, unknown>;
    if (typeof record.kind === "string" && EXPR_KINDS.has(record.kind)) found.push(value as Expr);
    for (const [key, child] of Object.entries(record)) if (key !== "span" && !key.startsWith("$")) visit(child);
  };
  visit(root);
  return found;
}

function checked(files: Record<string, string>): CheckedConstitution {
  const result = compile(files);
  expect(result.diagnostics).toEqual([]);
  return result.constitution!;
}

const reference = () =>
  checked({
    "constitution/musgo.constitution": readFileSync("constitution/musgo.constitution", "utf8"),
    "constitution/musgo_test.constitution": readFileSync("constitution/musgo_test.constitution", "utf8"),
  });

describe("output contract", () => {
  it("types every expression and resolves every name of the reference constitution", () => {
    const constitution = reference();
    const declarations = constitution.files.flatMap((f) => f.declarations);
    const roots = declarations.flatMap((d) => {
      if (d.kind === "Let") return [d.value];
      if (d.kind === "Registration") return d.items.map((i) => i.when);
      if (d.kind !== "Article") return [];
      return d.items.flatMap((item) =>
        item.kind === "Limit" ? [item.key] : item.kind === "Permit" ? [item.when] : [item.when, item.message],
      );
    });
    const expressions = expressionsIn(roots);
    expect(expressions.length).toBeGreaterThan(100);
    for (const expr of expressions) {
      expect(expr.$type, `${expr.kind} at ${expr.span.start.line}:${expr.span.start.column}`).toBeDefined();
      expect(expr.$type!.kind).not.toBe("error");
      if (expr.kind === "Name") expect(expr.$ref, `${expr.name} at ${expr.span.start.line}`).toBeDefined();
    }
  });

  it("annotates names, qualified and bare enum members", () => {
    const constitution = checked({
      "t.constitution": `${PRELUDE}let lo = Clearance.public
article I "A" {
  forbid f when agent.clearance > Clearance.public and agent.kind in {bot} and lo == lo and (any t in agent.tags: t == "x")
}
`,
    });
    const when = constitution.articles[0]!.rules[0]!.when;
    const refs = expressionsIn(when).map(
      (e) =>
        `${e.kind}:${"name" in e ? e.name : e.kind === "FieldAccess" ? e.field.name : ""}:${JSON.stringify("$ref" in e ? e.$ref : undefined)}`,
    );
    expect(refs).toEqual(
      expect.arrayContaining([
        'Name:agent:{"kind":"input"}',
        "FieldAccess:clearance:undefined",
        'FieldAccess:public:{"kind":"enumMember","enumName":"Clearance","member":"public"}',
        'Name:Clearance:{"kind":"enumType","enumName":"Clearance"}',
        'Name:bot:{"kind":"enumMember","enumName":"Kind","member":"bot"}',
        'Name:t:{"kind":"variable","name":"t"}',
        'Name:lo:{"kind":"let","name":"lo"}',
      ]),
    );
    const bot = expressionsIn(when).find((e) => e.kind === "Name" && e.name === "bot")!;
    expect(bot.$type).toMatchObject({ kind: "enum", name: "Kind" });
    expect(constitution.lets.get("lo")).toBe("public");
  });

  it("fills articles, rules, limits and permits as the interpreter expects", () => {
    const constitution = checked({
      "b.constitution": `article X "Last" enforcement advisory {\n  permit when true\n}\n`,
      "a.constitution": `${PRELUDE}article II "Second One" {
  forbid f when true
  limit calls per agent.id to 5 per minute
  permit when agent.id == "a"
  permit named when true
  forbid g when true remedy suspend appeal "ask" message "hi {agent.id}"
  limit big per agent.clearance to 2 per hour remedy quarantine
}
`,
    });
    expect(constitution.articles.map((a) => [a.number, a.numberValue, a.label, a.enforcement])).toEqual([
      ["II", 2, "Article_II_Second_One", "mandatory"],
      ["X", 10, "Article_X_Last", "advisory"],
    ]);
    const [second] = constitution.articles;
    expect(second!.rules.map((r) => [r.kind, r.code, r.position])).toEqual([
      ["forbid", "f", 1],
      ["permit", "II.2", 2],
      ["permit", "named", 3],
      ["forbid", "g", 4],
    ]);
    expect(
      second!.rules.map((r) => (r.kind === "forbid" ? [r.remedy, r.appeal, r.message?.raw ?? null] : null)),
    ).toEqual([["none", null, null], null, null, ["suspend", "ask", '"hi {agent.id}"']]);
    expect(
      second!.limits.map(({ name, keyPath, count, windowSeconds, remedy }) => ({
        name,
        keyPath,
        count,
        windowSeconds,
        remedy,
      })),
    ).toEqual([
      { name: "calls", keyPath: ["agent", "id"], count: 5, windowSeconds: 60, remedy: "throttle" },
      { name: "big", keyPath: ["agent", "clearance"], count: 2, windowSeconds: 3600, remedy: "quarantine" },
    ]);
    // Files in the order given: b.constitution first.
    expect(constitution.permitsInSourceOrder.map((p) => p.code)).toEqual(["X.1", "II.2", "named"]);
  });

  it("converts the schema, the enums and the registration block", () => {
    const constitution = checked({
      "t.constitution": `${PRELUDE}registration {\n  namespace "n" when agent.kind == bot\n  grant "g" when "x" in agent.tags\n}\n`,
    });
    expect(constitution.name).toBe("t");
    expect(constitution.version).toBe("1.0.0");
    expect(constitution.enums).toEqual([
      { name: "Clearance", members: ["public", "internal", "secret"], ordered: true },
      { name: "Kind", members: ["human", "bot"], ordered: false },
    ]);
    expect(constitution.schema.fields.map((f) => [f.name, f.optional, f.type.kind])).toEqual([
      ["agent", false, "record"],
      ["action", false, "record"],
      ["output", true, "record"],
    ]);
    expect(constitution.schema.fields[0]!.type).toEqual({
      kind: "record",
      fields: [
        { name: "id", optional: false, type: { kind: "string" } },
        {
          name: "kind",
          optional: false,
          type: { kind: "enum", name: "Kind", members: ["human", "bot"], ordered: false },
        },
        {
          name: "clearance",
          optional: false,
          type: { kind: "enum", name: "Clearance", members: ["public", "internal", "secret"], ordered: true },
        },
        { name: "tags", optional: false, type: { kind: "set", element: { kind: "string" } } },
      ],
    });
    expect(constitution.registration.map((r) => [r.kind, r.value])).toEqual([
      ["namespace", "n"],
      ["grant", "g"],
    ]);
  });

  it("computes the digest over non-test sources sorted by basename", () => {
    const files = {
      "z/b.constitution": 'article I "A" {\n  permit when true\n}\n',
      "y/a.constitution": PRELUDE,
      "a_test.constitution": "",
    };
    const expected = createHash("sha256")
      .update(`a.constitution\0${PRELUDE}\0b.constitution\0${files["z/b.constitution"]}\0`)
      .digest("hex");
    expect(checked(files).digest).toBe(`sha256:${expected}`);
  });

  it("checks the language examples (test/fixtures/language) clean", () => {
    const dir = "test/fixtures/language";
    const names = readdirSync(dir).filter((n) => n.endsWith(".constitution"));
    expect(names.length, "the language examples belong in test/fixtures/language").toBeGreaterThan(0);
    const constitution = checked(
      Object.fromEntries(names.map((n) => [`${dir}/${n}`, readFileSync(`${dir}/${n}`, "utf8")])),
    );
    expect(constitution.articles.map((a) => a.number)).toEqual(["II", "III", "VII", "IX", "X"]);
    expect(constitution.tests.length).toBeGreaterThan(0);
  });
});
