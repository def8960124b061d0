// Declaration shapes beyond the language examples (test/fixtures/language): the extensions and the optional parts.

import { describe, expect, test } from "vitest";
import type { Declaration } from "../../compiler/ast/nodes.js";
import { stripSpans } from "../../compiler/ast/equal.js";
import { jsonValueToJs } from "../../compiler/ast/json-value.js";
import { parseFile } from "../../compiler/syntax/index.js";

function parseOne(text: string): Declaration {
  const { file, diagnostics } = parseFile({ path: "d.constitution", text });
  expect(diagnostics).toEqual([]);
  expect(file.declarations).toHaveLength(1);
  return stripSpans(file.declarations[0]!);
}

describe("declarations", () => {
  test("expect deny with only action_taken: `action_taken` is not taken for a code", () => {
    expect(parseOne('test "t" { input {} expect deny action_taken "warned" }')).toMatchObject({
      expect: { kind: "ExpectOutcome", outcome: "deny", actionTaken: { value: "warned" } },
    });
    expect(parseOne('test "t" { input {} expect deny article IV }')).toMatchObject({
      expect: { article: { text: "IV", value: 4 } },
    });
  });

  test("expect verdict and expect registration take a JSON object", () => {
    const verdict = parseOne('test "t" { input {"a": -1.5} expect verdict {"permitted": false, "permits": ["II.1"]} }');
    if (verdict.kind !== "Test" || verdict.expect.kind !== "ExpectVerdict")
      throw new Error("expected a verdict expectation");
    expect(jsonValueToJs(verdict.expect.fields)).toEqual({ permitted: false, permits: ["II.1"] });
    expect(jsonValueToJs(verdict.input)).toEqual({ a: -1.5 });
    const proto = parseOne('test "t" { input {"__proto__": {"x": 1}} expect deny invalid_input }');
    if (proto.kind !== "Test") throw new Error("expected a test");
    const input = jsonValueToJs(proto.input) as Record<string, unknown>;
    expect(Object.getPrototypeOf(input)).toBe(Object.prototype);
    expect(Object.keys(input)).toEqual(["__proto__"]);
    expect(parseOne('test "t" { input {} expect registration {"namespace": null, "permissions": []} }')).toMatchObject({
      expect: { kind: "ExpectRegistration" },
    });
  });

  test("schema types: optional fields, nested records, set<T>, list<T>, trailing comma", () => {
    expect(parseOne("schema { a?: list<set<string>>, b: { c: number, }, }")).toEqual({
      kind: "Schema",
      fields: [
        {
          kind: "Field",
          name: { kind: "Identifier", name: "a" },
          optional: true,
          type: {
            kind: "CollectionType",
            collection: "list",
            element: {
              kind: "CollectionType",
              collection: "set",
              element: { kind: "NamedType", name: { kind: "Identifier", name: "string" } },
            },
          },
        },
        {
          kind: "Field",
          name: { kind: "Identifier", name: "b" },
          optional: false,
          type: {
            kind: "RecordType",
            fields: [
              {
                kind: "Field",
                name: { kind: "Identifier", name: "c" },
                optional: false,
                type: { kind: "NamedType", name: { kind: "Identifier", name: "number" } },
              },
            ],
          },
        },
      ],
    });
  });

  test("forbid clauses in any order; enforcement, unnamed permit, limit without remedy", () => {
    const article = parseOne(
      'article 12 "T" enforcement mandatory { forbid f when a message "m" remedy log appeal "p" permit when b limit l per a.b to 5 per hour }',
    );
    expect(article).toMatchObject({
      kind: "Article",
      number: { text: "12", value: 12 },
      enforcement: "mandatory",
      items: [
        { kind: "Forbid", remedy: { name: "log" }, appeal: { value: "p" }, message: { raw: '"m"' } },
        { kind: "Permit", when: { kind: "Name", name: "b" } },
        { kind: "Limit", window: "hour", count: { raw: "5" } },
      ],
    });
    if (article.kind !== "Article") throw new Error("expected an article");
    expect(article.items[1]).not.toHaveProperty("code");
    expect(article.items[2]).not.toHaveProperty("remedy");
  });

  test("a one-member enum is unordered", () => {
    expect(parseOne("enum E { only }")).toMatchObject({ ordered: false, members: [{ name: "only" }] });
  });
});
