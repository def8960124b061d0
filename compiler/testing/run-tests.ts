// The policy-test runner (docs/language.md, "Tests"): judges each `test` block's input with an
// engine and compares what the block expects. Results keep only the fields a test asserts, so a
// failure report shows what matters instead of the whole verdict, and where the test is.

import { isDeepStrictEqual } from "node:util";
import { escapeControlCharacters } from "../diagnostics/render.js";
import type { Span } from "../diagnostics/span.js";
import type { Expectation, OutcomeExpectation, TestDecl, VerdictExpectation } from "../ast/nodes.js";
import { jsonValueToJs } from "../ast/json-value.js";
import { readArticleNumber } from "../syntax/article-number.js";
import type { DecisionEngine } from "../../contract/engine.js";
import type { Verdict } from "../../contract/verdict.js";
import { lineDiff } from "./line-diff.js";

export interface PolicyTestResult {
  name: string;
  /** Where the `test` block starts. */
  span: Span;
  passed: boolean;
  /** The fields the test asserts, as it states them. */
  expected: unknown;
  /** The same fields of what the engine returned. */
  actual: unknown;
  /** A line diff of `expected` against `actual` (pretty-printed JSON); null when the test passed. */
  diff: string | null;
}

interface Judgement {
  passed: boolean;
  expected: unknown;
  actual: unknown;
}

type Fields = { [field: string]: unknown };

export function runPolicyTests(tests: readonly TestDecl[], engine: DecisionEngine): PolicyTestResult[] {
  return tests.map((test) => {
    const { passed, expected, actual } = judgeSafely(test.expect, jsonValueToJs(test.input), engine);
    const diff = passed ? null : renderDiff(expected, actual);
    return { name: test.name.value, span: test.span, passed, expected, actual, diff };
  });
}

/** An engine that throws (a trapping WASM module, say) fails the test instead of the whole run. */
function judgeSafely(expectation: Expectation, input: unknown, engine: DecisionEngine): Judgement {
  try {
    return judge(expectation, input, engine);
  } catch (e) {
    return { passed: false, expected: "a result", actual: { error: `the engine threw: ${(e as Error).message}` } };
  }
}

function judge(expectation: Expectation, input: unknown, engine: DecisionEngine): Judgement {
  switch (expectation.kind) {
    case "ExpectOutcome":
      return judgeOutcome(expectation, engine.decide(input));
    case "ExpectVerdict":
      return judgeVerdictFields(expectation, engine.decide(input));
    case "ExpectRegistration": {
      const expected = jsonValueToJs(expectation.result);
      const actual = engine.register(input);
      return { passed: isDeepStrictEqual(actual, expected), expected, actual };
    }
  }
}

/** `expect permit` / `expect deny [code] [action_taken "…"] [article N]`. */
function judgeOutcome(expectation: OutcomeExpectation, verdict: Verdict): Judgement {
  const permit = expectation.outcome === "permit";
  // A permit test also states `violation: null`, so its failure shows which rule denied.
  const expected: Fields = permit ? { permitted: true, violation: null } : { permitted: false };
  const actual: Fields = permit
    ? { permitted: verdict.permitted, violation: verdict.violation }
    : { permitted: verdict.permitted };
  let passed = verdict.permitted === permit;
  if (expectation.code !== undefined) {
    expected.violation = expectation.code.name;
    actual.violation = verdict.violation;
    passed &&= verdict.violation === expectation.code.name;
  }
  if (expectation.actionTaken !== undefined) {
    expected.action_taken = expectation.actionTaken.value;
    actual.action_taken = verdict.action_taken;
    passed &&= verdict.action_taken === expectation.actionTaken.value;
  }
  if (expectation.article !== undefined) {
    const written = articleNumberOf(verdict.constitutional_article);
    expected.article = expectation.article.text;
    actual.article = written;
    passed &&= written !== null && articleValue(written) === expectation.article.value;
  }
  return { passed, expected, actual };
}

/** `Article_VII_Data_Protection` → `VII`; the number as the constitution writes it. */
function articleNumberOf(label: string | null): string | null {
  return label === null ? null : (/^Article_([^_]+)_/.exec(label)?.[1] ?? null);
}

/** `VII` and `7` are the same article. */
function articleValue(written: string): number | null {
  const reading = readArticleNumber(written);
  return reading.ok ? reading.value : null;
}

/** Extension `expect verdict {…}`: every listed top-level field deep-equals the verdict's. */
function judgeVerdictFields(expectation: VerdictExpectation, verdict: Verdict): Judgement {
  // The grammar only admits a JSON object here.
  const expected = jsonValueToJs(expectation.fields) as Fields;
  const fields = verdict as unknown as Fields;
  const actual: Fields = {};
  for (const key of Object.keys(expected))
    actual[key] = Object.prototype.hasOwnProperty.call(fields, key) ? fields[key] : undefined;
  const passed = Object.keys(expected).every((key) => isDeepStrictEqual(actual[key], expected[key]));
  return { passed, expected, actual };
}

function renderDiff(expected: unknown, actual: unknown): string {
  return lineDiff(prettyLines(expected), prettyLines(actual)).join("\n");
}

function prettyLines(value: unknown): string[] {
  return (JSON.stringify(value, null, 2) ?? "undefined").split("\n");
}

/**
 * `✓ name` / `✗ name` per test; under each failure its `file:line:col` and a diff. A final
 * `N passed, N failed` line. Names come from the source, so control characters are escaped.
 */
export function renderTestReport(results: readonly PolicyTestResult[]): string {
  const lines: string[] = [];
  for (const result of results) {
    lines.push(`${result.passed ? "✓" : "✗"} ${escapeControlCharacters(result.name)}`);
    if (result.diff !== null) {
      const { file, start } = result.span;
      lines.push(escapeControlCharacters(`    at ${file}:${start.line}:${start.column}`));
      lines.push("    expected (-) vs actual (+):");
      for (const line of result.diff.split("\n")) lines.push(escapeControlCharacters(`    ${line}`));
    }
  }
  const passed = results.filter((result) => result.passed).length;
  lines.push(`${passed} passed, ${results.length - passed} failed`);
  return `${lines.join("\n")}\n`;
}
