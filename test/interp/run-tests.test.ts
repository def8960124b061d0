// The policy-test runner (docs/language.md, "Tests") and its report.

import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { createInterpreterEngine } from "../../compiler/interp/index.js";
import { lineDiff } from "../../compiler/testing/line-diff.js";
import { renderTestReport, runPolicyTests, type PolicyTestResult } from "../../compiler/testing/run-tests.js";
import { DATA_PROTECTION, LANGUAGE_PRELUDE, OTHER_ARTICLES, REGISTRATION, compile } from "./compile.js";

const CLASSIFIED = `{
    "agent": {"id": "advisor_7f2a9c1b", "type": "strategic_advisor", "clearance": "enterprise",
              "capabilities": ["market_analysis"]},
    "action": {"type": "data_request", "target": "classified_financials", "justification": "market_analysis"}
  }`;

/** Compiles the language examples' constitution with the given test blocks and runs them on the interpreter. */
function run(tests: string): PolicyTestResult[] {
  const c = compile(
    { path: "main.constitution", text: LANGUAGE_PRELUDE + DATA_PROTECTION + OTHER_ARTICLES + REGISTRATION },
    { path: "main_test.constitution", text: tests },
  );
  return runPolicyTests(c.tests, createInterpreterEngine(c));
}

describe("runPolicyTests", () => {
  it("passes the two example tests as written", () => {
    const results = run(`
test "classified access is denied" {
  input ${CLASSIFIED}
  expect deny unauthorized_classified_access action_taken "agent_suspended"
}

test "execute is permitted" {
  input {
    "agent": {"id": "exec_01", "type": "code_executor", "clearance": "internal", "capabilities": []},
    "action": {"type": "invoke", "method": "POST", "path": "/api/v1/execute"}
  }
  expect permit
}`);
    expect(results.map((r) => [r.name, r.passed, r.diff])).toEqual([
      ["classified access is denied", true, null],
      ["execute is permitted", true, null],
    ]);
  });

  it("compares `article N` by numeric value, so 7 names Article VII", () => {
    const results = run(`
test "decimal" { input ${CLASSIFIED} expect deny article 7 }
test "roman" { input ${CLASSIFIED} expect deny unauthorized_classified_access article VII }
test "wrong" { input ${CLASSIFIED} expect deny article IX }`);
    expect(results.map((r) => r.passed)).toEqual([true, true, false]);
    expect(results[2]!).toMatchObject({
      expected: { permitted: false, article: "IX" },
      actual: { permitted: false, article: "VII" },
    });
  });

  it("fails a deny expectation with the wrong code and keeps only the asserted fields", () => {
    const [result] = run(
      `test "wrong code" { input ${CLASSIFIED} expect deny secret_key_in_output action_taken "agent_suspended" }`,
    );
    expect(result).toEqual({
      name: "wrong code",
      span: expect.objectContaining({ file: "main_test.constitution", start: { offset: 0, line: 1, column: 1 } }),
      passed: false,
      expected: { permitted: false, violation: "secret_key_in_output", action_taken: "agent_suspended" },
      actual: { permitted: false, violation: "unauthorized_classified_access", action_taken: "agent_suspended" },
      diff: [
        "  {",
        '    "permitted": false,',
        '-   "violation": "secret_key_in_output",',
        '+   "violation": "unauthorized_classified_access",',
        '    "action_taken": "agent_suspended"',
        "  }",
      ].join("\n"),
    });
  });

  it("shows which rule denied when a permit expectation fails", () => {
    const [result] = run(`test "should permit" { input ${CLASSIFIED} expect permit }`);
    expect(result).toMatchObject({
      passed: false,
      expected: { permitted: true, violation: null },
      actual: { permitted: false, violation: "unauthorized_classified_access" },
    });
  });

  it("checks only the listed fields of `expect verdict`, by deep equality", () => {
    const results = run(`
test "listed fields" {
  input ${CLASSIFIED}
  expect verdict {"permits": ["read_data"], "appeal_process": "submit_to_ethics_committee",
                  "violations": [{"article": "VII", "code": "unauthorized_classified_access", "remedy": "suspend",
                    "enforcement": "mandatory", "message": "agent advisor_7f2a9c1b may not read classified_financials"}]}
}
test "a wrong field" { input ${CLASSIFIED} expect verdict {"permits": []} }
test "a field the verdict lacks" { input ${CLASSIFIED} expect verdict {"error": "x"} }`);
    expect(results.map((r) => r.passed)).toEqual([true, false, false]);
    expect(results[1]!.actual).toEqual({ permits: ["read_data"] });
  });

  it("compares `expect registration` exactly", () => {
    const agent = `{"agent": {"id": "a", "type": "data_analyst", "clearance": "public", "capabilities": ["trend_prediction"]}}`;
    const results = run(`
test "analytics" { input ${agent} expect registration {"namespace": "ai-analytics", "permissions": ["write:analysis_reports"]} }
test "not strategic" { input ${agent} expect registration {"namespace": "ai-strategic", "permissions": ["write:analysis_reports"]} }`);
    expect(results.map((r) => r.passed)).toEqual([true, false]);
    expect(results[1]!.diff).toContain('-   "namespace": "ai-strategic",');
    expect(results[1]!.diff).toContain('+   "namespace": "ai-analytics",');
  });
});

describe("renderTestReport", () => {
  it("prints ✓/✗ per test, the place and a diff under each failure and the summary line alone at the end", () => {
    const results = run(`
test "passes" { input ${CLASSIFIED} expect deny unauthorized_classified_access }
test "fails" { input ${CLASSIFIED} expect deny action_taken "warned" }`);
    const report = renderTestReport(results);
    expect(report).toBe(
      [
        "✓ passes",
        "✗ fails",
        "    at main_test.constitution:7:1",
        "    expected (-) vs actual (+):",
        "      {",
        '        "permitted": false,',
        '    -   "action_taken": "warned"',
        '    +   "action_taken": "agent_suspended"',
        "      }",
        "1 passed, 1 failed",
        "",
      ].join("\n"),
    );
  });

  it("escapes control characters of test names", () => {
    const results = run(`test "red \\u001b[31m" { input ${CLASSIFIED} expect permit }`);
    expect(results[0]!.name).toBe("red \u001b[31m");
    expect(renderTestReport(results)).toContain("✗ red \\u001b[31m\n    at main_test.constitution:1:1\n");
  });

  it("summarises an empty run", () => {
    expect(renderTestReport([])).toBe("0 passed, 0 failed\n");
  });
});

describe("lineDiff", () => {
  it("keeps common lines and marks removals before additions", () => {
    expect(lineDiff(["a", "b", "c"], ["a", "x", "c", "d"])).toEqual(["  a", "- b", "+ x", "  c", "+ d"]);
  });
});

describe("the reference constitution's own tests", () => {
  it("all pass on the interpreter", () => {
    const read = (path: string) => ({ path, text: readFileSync(path, "utf8") });
    const c = compile(read("constitution/musgo.constitution"), read("constitution/musgo_test.constitution"));
    const results = runPolicyTests(c.tests, createInterpreterEngine(c));
    expect(results.length).toBeGreaterThan(0);
    expect(renderTestReport(results)).toMatch(new RegExp(`\\n${results.length} passed, 0 failed\\n$`));
  });
});
