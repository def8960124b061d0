// Stage 6: policy tests. Expectations must name codes and articles the constitution has (MG3002),
// and a test input must match the schema (MG3001) unless the test is about invalid input. The
// diagnostic points at the JSON value the validator names (`agent.capabilities[2]`).

import type { JsonValue, OutcomeExpectation, TestDecl } from "../ast/nodes.js";
import { jsonValueToJs } from "../ast/json-value.js";
import type { Span } from "../diagnostics/span.js";
import type { RecordSchema } from "../../contract/schema.js";
import { validateInput } from "../../contract/validate-input.js";
import { INVALID_INPUT, NO_APPLICABLE_PERMIT } from "../../contract/verdict.js";
import { suggestionHint } from "./fuzzy.js";
import type { CheckedArticle } from "./model.js";
import type { Reporter } from "./reporter.js";

export interface TestFacts {
  /** Codes that can be a verdict's violation: forbids and `<limit>_exceeded`. */
  violationCodes: readonly string[];
  articles: readonly CheckedArticle[];
  /** Null when the schema itself has errors (inputs are then not validated). */
  schema: RecordSchema | null;
}

export function checkTests(tests: readonly TestDecl[], facts: TestFacts, reporter: Reporter): void {
  for (const test of tests) {
    checkExpectation(test, facts, reporter);
    checkInput(test, facts.schema, reporter);
  }
}

function checkExpectation(test: TestDecl, facts: TestFacts, reporter: Reporter): void {
  const expectation = test.expect;
  if (expectation.kind === "ExpectOutcome") checkOutcome(expectation, facts, reporter);
  else if (expectation.kind === "ExpectVerdict") checkVerdictFields(expectation.fields, facts, reporter);
}

function checkOutcome(expectation: OutcomeExpectation, facts: TestFacts, reporter: Reporter): void {
  if (expectation.code !== undefined) checkCode(expectation.code.name, expectation.code.span, facts, reporter);
  const article = expectation.article;
  if (article !== undefined && article.value !== 0 && !facts.articles.some((a) => a.numberValue === article.value)) {
    reporter.error("MG3002", article.span, `no article \`${article.text}\` in this constitution`, suggestionHint(article.text, facts.articles.map((a) => a.number), "articles"));
  }
}

function checkCode(code: string, span: Span, facts: TestFacts, reporter: Reporter): void {
  const known = [...facts.violationCodes, NO_APPLICABLE_PERMIT, INVALID_INPUT];
  if (!known.includes(code)) reporter.error("MG3002", span, `\`${code}\` is not a code this constitution reports`, suggestionHint(code, known, "codes"));
}

/** In `expect verdict {…}`, checks `violation` and each `violations[i].code` / `.article`. */
function checkVerdictFields(fields: JsonValue, facts: TestFacts, reporter: Reporter): void {
  const violation = member(fields, "violation");
  if (violation?.kind === "JsonString") checkCode(violation.value, violation.span, facts, reporter);
  const violations = member(fields, "violations");
  if (violations?.kind !== "JsonArray") return;
  for (const entry of violations.elements) {
    const code = member(entry, "code");
    if (code?.kind === "JsonString") checkCode(code.value, code.span, facts, reporter);
    const article = member(entry, "article");
    if (article?.kind === "JsonString" && !facts.articles.some((a) => a.number === article.value)) {
      reporter.error("MG3002", article.span, `no article \`${article.value}\` in this constitution`, suggestionHint(article.value, facts.articles.map((a) => a.number), "articles"));
    }
  }
}

function member(value: JsonValue, key: string): JsonValue | undefined {
  return value.kind === "JsonObject" ? value.entries.find((e) => e.key.value === key)?.value : undefined;
}

function checkInput(test: TestDecl, schema: RecordSchema | null, reporter: Reporter): void {
  if (schema === null || expectsInvalidInput(test)) return;
  const registration = test.expect.kind === "ExpectRegistration";
  // The registration request is checked against the schema's `agent` field only.
  const against: RecordSchema = registration ? { kind: "record", fields: schema.fields.filter((f) => f.name === "agent") } : schema;
  const problem = validateInput(against, jsonValueToJs(test.input));
  if (problem === null) return;
  const hint = registration ? "a registration request is `{\"agent\": {…}}` matching the schema's `agent`" : "fix the input, or `expect deny invalid_input` if the test is about invalid input";
  reporter.error("MG3001", locate(test.input, problem), `test input does not match the schema: ${problem}`, hint);
}

function expectsInvalidInput(test: TestDecl): boolean {
  const expectation = test.expect;
  switch (expectation.kind) {
    case "ExpectOutcome":
      return expectation.code?.name === INVALID_INPUT;
    case "ExpectVerdict": {
      const violation = member(expectation.fields, "violation");
      return violation?.kind === "JsonString" && violation.value === INVALID_INPUT;
    }
    case "ExpectRegistration":
      return member(expectation.result, "error") !== undefined;
  }
}

/** The span of the deepest JSON value on the path a validation problem names (`a.b[2]: reason`). */
function locate(input: JsonValue, problem: string): Span {
  const path = problem.slice(0, problem.indexOf(": "));
  const segments = path === "input" ? [] : path.split(/\.|(?=\[)/);
  let node = input;
  for (const segment of segments) {
    const index = /^\[(\d+)\]$/.exec(segment);
    const next = index !== null ? (node.kind === "JsonArray" ? node.elements[Number(index[1])] : undefined) : member(node, segment);
    if (next === undefined) break;
    node = next;
  }
  return node.span;
}
