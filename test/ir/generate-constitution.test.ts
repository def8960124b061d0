import { describe, expect, it } from "vitest";
import { generateConstitution } from "../../bench/generate-constitution.js";
import { planConstitution } from "../../compiler/lower/planner.js";
import { evaluateDecisionIr } from "../../compiler/ir/eval.js";
import { evaluateDecision } from "../../compiler/interp/index.js";
import { REFERENCE_INPUTS } from "../../bench/peers/reference-inputs.js";
import { checkSource } from "./support.js";

describe("bench/generate-constitution", () => {
  it("generates a constitution of N articles that checks, covering every rule shape", () => {
    const checked = checkSource(generateConstitution(40));
    expect(checked.articles).toHaveLength(40);
    expect(checked.articles.flatMap((a) => a.rules).filter((r) => r.kind === "forbid")).toHaveLength(40);
    expect(checked.articles.some((a) => a.enforcement === "advisory")).toBe(true);
  });

  it("shares articles once the article numbers would run out, keeping every rule", () => {
    const checked = checkSource(generateConstitution(20, 7));
    expect(checked.articles).toHaveLength(7);
    expect(
      checked.articles
        .flatMap((a) => a.rules)
        .filter((r) => r.kind === "forbid")
        .map((r) => r.code),
    ).toEqual(Array.from({ length: 20 }, (_, i) => `rule_${i + 1}`));
  });

  it("its IR agrees with the interpreter on the reference inputs", () => {
    const checked = checkSource(generateConstitution(24));
    const ir = planConstitution(checked);
    for (const { input } of REFERENCE_INPUTS)
      expect(evaluateDecisionIr(ir, input)).toEqual(evaluateDecision(checked, input));
  });
});
