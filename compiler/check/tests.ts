// Stage 6: policy tests. Expectations must name codes and articles the constitution has (MG3002),
// fields a verdict or registration result has (MG3003) and `action_taken` values a verdict can
// carry (MG3004), so a typo fails at check time instead of making a test that can never pass.
// A test input must match the schema (MG3001) unless the test is about invalid input; the
// diagnostic points at the JSON value the validator names (`agent.capabilities[2]`).

import type { JsonValue, OutcomeExpectation, TestDecl } from "../ast/nodes.js";
import { jsonValueToJs } from "../ast/json-value.js";
import type { Span } from "../diagnostics/span.js";
import type { RecordSchema } from "../../contract/schema.js";
import { validateInput } from "../../contract/validate-input.js";
import {
  ACTION_TAKEN,
  INVALID_INPUT,
  NO_APPLICABLE_PERMIT,
  REMEDIES,
  type RegistrationResult,
  type Verdict,
  type Violation,
} from "../../contract/verdict.js";
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

/** The fields an expectation may name; `satisfies` keeps each list complete as the types grow. */
// eslint-disable-next-line no-restricted-syntax -- the verdict's field names as a set, not a verdict.
const VERDICT_FIELDS = Object.keys({
  permitted: true,
  violation: true,
  constitutional_article: true,
  action_taken: true,
  appeal_process: true,
  violations: true,
  permits: true,
  error: true,
  constitution: true,
} satisfies Record<keyof Verdict, true>);
const VIOLATION_FIELDS = Object.keys({
  article: true,
  code: true,
  remedy: true,
  enforcement: true,
  message: true,
} satisfies Record<keyof Violation, true>);
// eslint-disable-next-line no-restricted-syntax -- the result's field names as a set, not a registration result.
const REGISTRATION_FIELDS = Object.keys({
  namespace: true,
  permissions: true,
  error: true,
} satisfies Record<keyof RegistrationResult, true>);
const ACTION_TAKEN_VALUES = Object.values(ACTION_TAKEN);

function checkExpectation(test: TestDecl, facts: TestFacts, reporter: Reporter): void {
  const expectation = test.expect;
  if (expectation.kind === "ExpectOutcome") checkOutcome(expectation, facts, reporter);
  else if (expectation.kind === "ExpectVerdict") checkVerdictFields(expectation.fields, facts, reporter);
  else checkFieldNames(expectation.result, REGISTRATION_FIELDS, "a registration result", reporter);
}

function checkOutcome(expectation: OutcomeExpectation, facts: TestFacts, reporter: Reporter): void {
  if (expectation.code !== undefined) checkCode(expectation.code.name, expectation.code.span, facts, reporter);
  const actionTaken = expectation.actionTaken;
  if (actionTaken !== undefined) checkActionTaken(actionTaken.value, actionTaken.span, reporter);
  const article = expectation.article;
  if (article !== undefined && article.value !== 0 && !facts.articles.some((a) => a.numberValue === article.value)) {
    reporter.error(
      "MG3002",
      article.span,
      `no article \`${article.text}\` in this constitution`,
      suggestionHint(
        article.text,
        facts.articles.map((a) => a.number),
        "articles",
      ),
    );
  }
}

function checkCode(code: string, span: Span, facts: TestFacts, reporter: Reporter): void {
  const known = [...facts.violationCodes, NO_APPLICABLE_PERMIT, INVALID_INPUT];
  if (!known.includes(code))
    reporter.error(
      "MG3002",
      span,
      `\`${code}\` is not a code this constitution reports`,
      suggestionHint(code, known, "codes"),
    );
}

/** `action_taken` names a remedy's action (`agent_suspended`), never the remedy itself (`suspend`). */
function checkActionTaken(value: string, span: Span, reporter: Reporter): void {
  if (ACTION_TAKEN_VALUES.includes(value)) return;
  const remedy = REMEDIES.find((r) => r === value);
  const hint =
    remedy !== undefined
      ? `\`${remedy}\` is a remedy; the verdict says \`${ACTION_TAKEN[remedy]}\``
      : suggestionHint(value, ACTION_TAKEN_VALUES, "values");
  reporter.error("MG3004", span, `\`${value}\` is not an \`action_taken\` value`, hint);
}

/** MG3003 for every key of `value` (an object) that is not one of `known`. */
function checkFieldNames(value: JsonValue, known: readonly string[], what: string, reporter: Reporter): void {
  if (value.kind !== "JsonObject") return;
  for (const { key } of value.entries) {
    if (known.includes(key.value)) continue;
    const hint = suggestionHint(key.value, known, "fields");
    reporter.error("MG3003", key.span, `\`${key.value}\` is not a field of ${what}`, hint);
  }
}

/** In `expect verdict {…}`: field names, `action_taken`, `violation` and each `violations[i]`. */
function checkVerdictFields(fields: JsonValue, facts: TestFacts, reporter: Reporter): void {
  checkFieldNames(fields, VERDICT_FIELDS, "a verdict", reporter);
  const actionTaken = member(fields, "action_taken");
  if (actionTaken?.kind === "JsonString") checkActionTaken(actionTaken.value, actionTaken.span, reporter);
  const violation = member(fields, "violation");
  if (violation?.kind === "JsonString") checkCode(violation.value, violation.span, facts, reporter);
  const violations = member(fields, "violations");
  if (violations?.kind !== "JsonArray") return;
  for (const entry of violations.elements) {
    checkFieldNames(entry, VIOLATION_FIELDS, "a violation", reporter);
    const code = member(entry, "code");
    if (code?.kind === "JsonString") checkCode(code.value, code.span, facts, reporter);
    const article = member(entry, "article");
    if (article?.kind === "JsonString" && !facts.articles.some((a) => a.number === article.value)) {
      reporter.error(
        "MG3002",
        article.span,
        `no article \`${article.value}\` in this constitution`,
        suggestionHint(
          article.value,
          facts.articles.map((a) => a.number),
          "articles",
        ),
      );
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
  const against: RecordSchema = registration
    ? { kind: "record", fields: schema.fields.filter((f) => f.name === "agent") }
    : schema;
  const problem = validateInput(against, jsonValueToJs(test.input));
  if (problem === null) return;
  const hint = registration
    ? 'a registration request is `{"agent": {…}}` matching the schema\'s `agent`'
    : "fix the input, or `expect deny invalid_input` if the test is about invalid input";
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
    const next =
      index !== null
        ? node.kind === "JsonArray"
          ? node.elements[Number(index[1])]
          : undefined
        : member(node, segment);
    if (next === undefined) break;
    node = next;
  }
  return node.span;
}
