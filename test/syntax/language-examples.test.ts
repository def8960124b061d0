// Every code example of the language contract, copied verbatim into test/fixtures/language/, parses with no
// diagnostics (the lead and the checker reuse these fixtures).

import { readFileSync } from "node:fs";
import { describe, expect, test } from "vitest";
import type { ArticleDecl, Declaration, RegistrationDecl, TestDecl } from "../../compiler/ast/nodes.js";
import { parseFile } from "../../compiler/syntax/index.js";

const FIXTURES = new URL("../fixtures/language/", import.meta.url);

function parseFixture(name: string): Declaration[] {
  const path = new URL(name, FIXTURES);
  const { file, diagnostics } = parseFile({ path: `test/fixtures/language/${name}`, text: readFileSync(path, "utf8") });
  expect(diagnostics).toEqual([]);
  return file.declarations;
}

describe("the language examples parse cleanly", () => {
  test("s3: header, enums, schema, lets", () => {
    const decls = parseFixture("s3-header.constitution");
    expect(decls.map((d) => d.kind)).toEqual(["Header", "Enum", "Enum", "Schema", "Let", "Let"]);
    expect(decls[1]).toMatchObject({
      ordered: true,
      members: expect.arrayContaining([expect.objectContaining({ name: "top_secret" })]),
    });
    expect(decls[2]).toMatchObject({ ordered: false });
  });

  test("s4: the four articles", () => {
    const articles = parseFixture("s4-articles.constitution") as ArticleDecl[];
    expect(articles.map((a) => [a.number.text, a.number.value, a.items.length, a.enforcement])).toEqual([
      ["VII", 7, 1, undefined],
      ["II", 2, 2, undefined],
      ["IX", 9, 1, undefined],
      ["X", 10, 1, "advisory"],
    ]);
    expect(articles[0]!.items[0]).toMatchObject({
      kind: "Forbid",
      remedy: { name: "suspend" },
      appeal: { value: "submit_to_ethics_committee" },
    });
  });

  test("s7: registration", () => {
    const [registration] = parseFixture("s7-registration.constitution") as RegistrationDecl[];
    expect(registration!.items.map((i) => [i.kind, i.value.value])).toEqual([
      ["Namespace", "ai-strategic"],
      ["Namespace", "ai-analytics"],
      ["Grant", "read:market_data"],
      ["Grant", "write:analysis_reports"],
    ]);
  });

  test("s8: the limit article", () => {
    const [article] = parseFixture("s8-limits.constitution") as ArticleDecl[];
    expect(article!.items[0]).toMatchObject({
      kind: "Limit",
      name: { name: "api_calls" },
      count: { value: 100 },
      window: "minute",
      remedy: { name: "quarantine" },
    });
  });

  test("s9: both tests", () => {
    const tests = parseFixture("s9_test.constitution") as TestDecl[];
    expect(tests.map((t) => t.expect)).toMatchObject([
      {
        kind: "ExpectOutcome",
        outcome: "deny",
        code: { name: "unauthorized_classified_access" },
        actionTaken: { value: "agent_suspended" },
      },
      { kind: "ExpectOutcome", outcome: "permit" },
    ]);
  });

  test("the reference constitution parses cleanly", () => {
    const text = readFileSync(new URL("../../constitution/musgo.constitution", import.meta.url), "utf8");
    expect(parseFile({ path: "constitution/musgo.constitution", text }).diagnostics).toEqual([]);
  });
});
