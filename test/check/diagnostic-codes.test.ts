// One deliberately broken constitution (or more) per diagnostic code the front end can report,
// under test/fixtures/broken/. Each must report exactly its code, at the expected position, with
// the expected hint. Test-file fixtures (`*_test.constitution`) compile with support/base.constitution.

import { readdirSync } from "node:fs";
import * as nodeFs from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { compilePaths, compileSources } from "../../compiler/pipeline.js";
import { BROKEN_DIR, readFixture } from "./support.js";

const BASE = "support/base.constitution";

const table: [fixture: string, code: string, at: string, hint: string][] = [
  ["mg1001-unexpected-character.constitution", "MG1001", "3:13", "identifiers are ASCII"],
  ["mg1002-malformed-string.constitution", "MG1002", "3:15", "JSON escapes"],
  ["mg1003-unterminated-comment.constitution", "MG1003", "3:1", "close it with `*/`"],
  ["mg1004-malformed-number.constitution", "MG1004", "3:15", "no leading zeros"],
  ["mg1010-unexpected-token.constitution", "MG1010", "4:16", "comparisons do not chain"],
  ["mg1011-unexpected-end-of-file.constitution", "MG1011", "5:1", "expected `}`"],
  ["mg1012-assign-as-comparison.constitution", "MG1012", "4:38", "did you mean `==`?"],
  ["mg1013-reserved-word-as-name.constitution", "MG1013", "4:10", "reserved words cannot be names"],
  ["mg1014-indexing.constitution", "MG1014", "4:18", "any x in xs: …"],
  ["mg1020-invalid-article-number.constitution", "MG1020", "3:9", "did you mean `IV`?"],
  ["mg1020-leading-zero-article-number.constitution", "MG1020", "3:9", "did you mean `7`?"],
  ["mg1021-enum-mixed-separators.constitution", "MG1021", "3:26", "ordered enum"],
  ["mg1022-malformed-template.constitution", "MG1022", "5:53", "`{{`"],
  ["mg1023-duplicate-key-in-test-input_test.constitution", "MG1023", "6:5", "each key may appear once"],
  ["mg2001-unknown-field.constitution", "MG2001", "14:35", "did you mean `clearance`?"],
  ["mg2002-unknown-enum-member.constitution", "MG2002", "14:57", "did you mean `secret`?"],
  ["mg2003-unknown-name.constitution", "MG2003", "16:70", "did you mean `classified`?"],
  ["mg2003-bare-member-without-context.constitution", "MG2003", "13:16", "write `Clearance.secret`"],
  ["mg2004-unknown-type.constitution", "MG2004", "5:35", "did you mean `number`?"],
  ["mg2005-unknown-function.constitution", "MG2005", "14:20", "did you mean `lower`?"],
  ["mg2005-wrong-arity.constitution", "MG2005", "14:20", "contains(s, sub)"],
  ["mg2006-unknown-remedy.constitution", "MG2006", "14:76", "did you mean `quarantine`?"],
  ["mg2010-type-mismatch.constitution", "MG2010", "14:29", "member of `Clearance`"],
  ["mg2010-string-plus-number.constitution", "MG2010", "14:35", "strings do not concatenate"],
  ["mg2010-null-is-not-a-value.constitution", "MG2010", "14:39", "write `has path`"],
  ["mg2011-unordered-enum.constitution", "MG2011", "14:22", "`AgentType` is unordered"],
  ["mg2020-unguarded-optional.constitution", "MG2020", "14:26", "write `has action.target and …`"],
  ["mg2030-invalid-regex.constitution", "MG2030", "14:65", "use a plain group"],
  ["mg2030-backreference.constitution", "MG2030", "14:72", "linear in the input"],
  ["mg2030-automaton-too-large.constitution", "MG2030", "14:68", "bounded repetitions"],
  ["mg2040-duplicate-article.constitution", "MG2040", "17:9", "article `VII` is declared at"],
  ["mg2041-duplicate-rule-code.constitution", "MG2041", "15:10", "first used at"],
  ["mg2042-duplicate-declaration.constitution", "MG2042", "14:5", "first declared at"],
  ["mg2043-ambiguous-bare-name.constitution", "MG2043", "16:47", "write `Clearance.secret` for the member"],
  ["mg2050-missing-header.constitution", "MG2050", "1:1", "add `constitution <name>"],
  ["mg2050-repeated-header.constitution", "MG2050", "3:1", "the header is declared once"],
  ["mg2051-repeated-schema.constitution", "MG2051", "8:1", "the schema is declared once"],
  ["mg2052-version-not-semver.constitution", "MG2052", "2:27", "write `MAJOR.MINOR.PATCH`"],
  ["mg2060-let-reads-input.constitution", "MG2060", "13:10", "compile-time constant"],
  ["mg2061-let-cycle.constitution", "MG2061", "14:12", "not itself"],
  ["mg2070-invalid-limit.constitution", "MG2070", "14:19", "required input field"],
  ["mg2071-registration-reads-action.constitution", "MG2071", "14:31", "registration request"],
  ["mg2080-test-in-policy-file.constitution", "MG2080", "13:1", "`_test.constitution`"],
  ["mg2090-has-on-required.constitution", "MG2090", "14:20", "drop the `has`"],
  ["mg3001-input-mismatch_test.constitution", "MG3001", "4:63", "expect deny invalid_input"],
  ["mg3002-unknown-code_test.constitution", "MG3002", "7:15", "did you mean `vault_read`?"],
  ["mg3002-unknown-article_test.constitution", "MG3002", "7:34", "available articles: `I`"],
  ["mg3003-unknown-verdict-field_test.constitution", "MG3003", "7:19", "did you mean `permitted`?"],
  ["mg3004-invalid-action-taken_test.constitution", "MG3004", "7:39", "did you mean `agent_suspended`?"],
  ["mg4004-binary-file.constitution", "MG4004", "1:1", "a constitution is UTF-8 text"],
  ["mg4005-invalid-utf8.constitution", "MG4005", "3:5", "save the file as UTF-8"],
];

/** MG4xxx fixtures are about the file's bytes, so they go through the reader; the rest are read as text. */
async function compileFixture(fixture: string) {
  if (fixture.startsWith("mg4")) {
    return compilePaths([join(BROKEN_DIR, fixture)], { fs: nodeFs, cwd: process.cwd(), includeTests: true });
  }
  const names = fixture.endsWith("_test.constitution") && fixture.startsWith("mg3") ? [fixture, BASE] : [fixture];
  return compileSources(names.map((name) => readFixture(BROKEN_DIR, name)));
}

describe("diagnostic codes, one broken constitution each", () => {
  it.each(table)("%s reports %s at %s", async (fixture, code, at, hint) => {
    const { diagnostics, constitution } = await compileFixture(fixture);
    expect(diagnostics.map((d) => d.code)).toEqual([code]);
    const [d] = diagnostics;
    expect(`${d!.span.start.line}:${d!.span.start.column}`).toBe(at);
    expect(d!.hint).toContain(hint);
    expect(d!.span.file).toBe(`${BROKEN_DIR}/${fixture}`);
    expect(constitution === null).toBe(d!.severity === "error");
  });

  it("covers every fixture in the directory", () => {
    const fixtures = readdirSync(BROKEN_DIR).filter((n) => n.startsWith("mg"));
    expect(fixtures.sort()).toEqual(table.map(([f]) => f).sort());
  });

  it("names each fixture after the code it reports", () => {
    for (const [fixture, code] of table) expect(fixture.slice(0, 6).toUpperCase()).toBe(code);
  });
});
