// Property tests (PBT) of the reference interpreter over the reference constitution.

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { evaluateDecision, evaluateRegistration } from "../../compiler/interp/index.js";
import { validateInput } from "../../contract/validate-input.js";
import { INVALID_INPUT, invalidInputVerdict, remedyRank, type Violation } from "../../contract/verdict.js";
import { compileReference } from "./compile.js";

const reference = compileReference();
const id = { name: reference.name, version: reference.version, digest: reference.digest };

/** Absent, JSON null, or a value: all three shapes an optional field takes. */
function optional<T>(value: fc.Arbitrary<T>): fc.Arbitrary<T | null | undefined> {
  return fc.option(fc.option(value, { nil: null }), { nil: undefined });
}

function withoutUndefined(record: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(record).filter(([, value]) => value !== undefined));
}

// Values chosen so that every rule of the reference constitution both holds and fails often.
const agent = fc.record({
  id: fc.string({ maxLength: 6 }),
  type: fc.constantFrom("strategic_advisor", "data_analyst", "code_executor"),
  clearance: fc.constantFrom("public", "internal", "enterprise", "confidential", "secret", "top_secret"),
  capabilities: fc.array(fc.constantFrom("market_analysis", "trend_prediction", "payments", "other"), { maxLength: 4 }),
});
const action = fc
  .record({
    type: fc.constantFrom("data_request", "transfer", "write_report", "invoke"),
    target: optional(fc.constantFrom("classified_financials", "board_minutes", "weather")),
    justification: optional(fc.string({ maxLength: 4 })),
    method: optional(fc.constantFrom("POST", "GET")),
    path: optional(fc.constantFrom("/api/v1/execute", "/api/v1/other")),
    amount: optional(fc.oneof(fc.integer({ min: 0, max: 20000 }), fc.double({ noNaN: true, noDefaultInfinity: true }))),
  })
  .map(withoutUndefined);
const output = optional(
  fc.record({
    text: fc.constantFrom(
      "fine",
      "-----BEGIN RSA PRIVATE KEY-----",
      "AKIAABCDEFGHIJKLMNOP",
      "-----BEGIN PRIVATE KEY----- ASIA0123456789ABCDEF",
    ),
  }),
);
const telemetry = optional(fc.record({ api_calls_per_minute: fc.integer({ min: 0, max: 200 }) }));

const validInput = fc.record({ agent, action, output, telemetry }).map(withoutUndefined);

/** Valid inputs with some fields replaced by arbitrary JSON: mostly near misses of the schema. */
const nearMissInput = fc
  .tuple(validInput, fc.constantFrom("agent", "action", "output", "telemetry"), fc.jsonValue())
  .map(([input, field, value]) => ({ ...input, [field]: value }));

const RUNS = { numRuns: 300 };

describe("properties of the reference interpreter", () => {
  it("PBT: interpreter never throws on arbitrary JSON input (fc.anything / fc.jsonValue) and fails closed when invalid", () => {
    fc.assert(
      fc.property(fc.oneof(fc.anything(), fc.jsonValue(), nearMissInput, validInput), (input) => {
        const verdict = evaluateDecision(reference, input);
        const error = validateInput(reference.schema, input);
        if (error !== null) expect(verdict).toEqual(invalidInputVerdict(error, id));
        else expect(verdict.violation).not.toBe(INVALID_INPUT);
        const registration = evaluateRegistration(reference, input);
        expect(registration.namespace === null || typeof registration.namespace === "string").toBe(true);
      }),
      RUNS,
    );
  });

  it("PBT: permitted implies at least one permit and no mandatory violation (and conversely)", () => {
    fc.assert(
      fc.property(validInput, (input) => {
        const verdict = evaluateDecision(reference, input);
        const mandatory = verdict.violations.some((v) => v.enforcement === "mandatory");
        expect(verdict.permitted).toBe(verdict.permits.length > 0 && !mandatory);
      }),
      RUNS,
    );
  });

  it("PBT: violations are ordered by article then source", () => {
    const rank = new Map<string, [number, number]>();
    for (const article of reference.articles)
      for (const rule of article.rules) rank.set(rule.code, [article.numberValue, rule.position]);
    const order = (v: Violation): [number, number] => rank.get(v.code)!;
    fc.assert(
      fc.property(validInput, (input) => {
        const positions = evaluateDecision(reference, input).violations.map(order);
        for (let i = 1; i < positions.length; i++) {
          const [article, position] = positions[i]!;
          const [previousArticle, previousPosition] = positions[i - 1]!;
          expect(article > previousArticle || (article === previousArticle && position > previousPosition)).toBe(true);
        }
      }),
      RUNS,
    );
  });

  it("PBT: the determining violation is a mandatory violation of the highest remedy", () => {
    fc.assert(
      fc.property(validInput, (input) => {
        const verdict = evaluateDecision(reference, input);
        const mandatory = verdict.violations.filter((v) => v.enforcement === "mandatory");
        if (mandatory.length === 0) return;
        const highest = Math.max(...mandatory.map((v) => remedyRank(v.remedy)));
        const determining = mandatory.find((v) => remedyRank(v.remedy) === highest)!;
        expect(verdict.violation).toBe(determining.code);
      }),
      RUNS,
    );
  });
});
