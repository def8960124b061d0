import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { compileSources } from "../../compiler/pipeline.js";
import { planConstitution } from "../../compiler/lower/planner.js";
import { evaluateDecisionIr, evaluateRegistrationIr } from "../../compiler/ir/eval.js";
import { evaluateDecision, evaluateRegistration } from "../../compiler/interp/index.js";
import type { IrPolicy } from "../../compiler/ir/ir.js";
import { constitutionArb, inputArb } from "../support/constitution-arbitraries.js";

describe("DRT: IR evaluation ≡ reference interpreter", () => {
  it("property: generated constitutions × generated inputs give identical verdicts and registrations", () => {
    let cases = 0;
    fc.assert(
      fc.property(
        constitutionArb().chain((generated) =>
          fc.tuple(fc.constant(generated), fc.array(inputArb(generated.schema), { minLength: 30, maxLength: 30 })),
        ),
        ([generated, inputs]) => {
          const checked = compileSources([{ path: "generated.constitution", text: generated.source }]).constitution;
          if (checked === null) throw new Error(`generated constitution does not check:\n${generated.source}`);
          const ir = JSON.parse(JSON.stringify(planConstitution(checked))) as IrPolicy;
          for (const input of inputs) {
            expect(evaluateDecisionIr(ir, input), JSON.stringify(input)).toEqual(evaluateDecision(checked, input));
            expect(evaluateRegistrationIr(ir, input), JSON.stringify(input)).toEqual(
              evaluateRegistration(checked, input),
            );
            cases++;
          }
        },
      ),
      { numRuns: 80 },
    );
    expect(cases).toBeGreaterThanOrEqual(2400);
  });
});
