import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { evaluateDecision } from "../../compiler/interp/index.js";
import { REFERENCE_INPUTS } from "../../bench/peers/reference-inputs.js";
import { createHandwrittenDecide } from "../../bench/peers/handwritten.js";
import { createCedarDecide } from "../../bench/peers/cedar.js";
import { inputArb } from "../support/constitution-arbitraries.js";
import { checkReference } from "./support.js";

const reference = checkReference();
const constitution = { name: reference.name, version: reference.version, digest: reference.digest };
const handwritten = createHandwrittenDecide(constitution);

describe("benchmark peers agree with the interpreter", () => {
  it.each(REFERENCE_INPUTS.map((c) => [c.name, c.input] as const))("hand-written JavaScript: %s", (_name, input) => {
    expect(handwritten(input)).toEqual(evaluateDecision(reference, input));
  });

  it("property: hand-written JavaScript ≡ interpreter on generated inputs (valid and invalid)", () => {
    fc.assert(
      fc.property(inputArb(reference.schema), (input) => {
        expect(handwritten(input)).toEqual(evaluateDecision(reference, input));
      }),
      { numRuns: 2000 },
    );
  });

  it("the benchmark inputs cover permits, denies, advisories and invalid inputs", () => {
    const verdicts = REFERENCE_INPUTS.map(({ input }) => evaluateDecision(reference, input));
    expect(verdicts.filter((v) => v.permitted).length).toBeGreaterThanOrEqual(4);
    expect(new Set(verdicts.map((v) => v.violation)).size).toBeGreaterThanOrEqual(7);
    expect(verdicts.some((v) => v.violations.some((x) => x.enforcement === "advisory"))).toBe(true);
    expect(verdicts.filter((v) => v.violation === "invalid_input").length).toBeGreaterThanOrEqual(3);
    expect(REFERENCE_INPUTS.length).toBeGreaterThanOrEqual(16);
  });

  it.each(REFERENCE_INPUTS.map((c) => [c.name, c.input] as const))("Cedar policy set: %s", (_name, input) => {
    const cedar = createCedarDecide(reference.schema);
    const verdict = evaluateDecision(reference, input);
    const decision = cedar(input);
    expect(decision.permitted).toBe(verdict.permitted);
    if (verdict.violation !== null && decision.reasons.length > 0)
      expect(decision.reasons).toContain(verdict.violation);
  });
});
