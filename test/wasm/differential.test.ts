// DRT: compiled module ≡ reference interpreter. Generated well-typed constitutions (compiled to
// WASM) judge generated inputs (valid and invalid) through the fast path and through opa_eval; every
// verdict and registration must equal the interpreter's. A failure is shrunk by fast-check and
// reported as a regression test ready to paste into test/wasm/regressions.test.ts.

import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { constitutionArb, inputArb } from "../support/constitution-arbitraries.js";
import { compileSource, expectSameVerdicts } from "./support.js";

const CONSTITUTIONS = 100;
const INPUTS_PER_CONSTITUTION = 100;

function regressionTest(source: string, input: unknown, error: unknown): string {
  return [
    `differential mismatch: ${(error as Error).message.split("\n").slice(0, 12).join("\n")}`,
    "",
    "ready-to-paste regression test (test/wasm/regressions.test.ts):",
    "",
    `it("regression: <describe the case>", () => {`,
    `  expectSameVerdicts(compileSource(${JSON.stringify(source)}), ${JSON.stringify(input)});`,
    `});`,
  ].join("\n");
}

describe("DRT: WASM module ≡ reference interpreter", () => {
  it("property: generated constitutions × generated inputs give identical verdicts through the fast path and opa_eval", () => {
    let cases = 0;
    fc.assert(
      fc.property(
        constitutionArb().chain((generated) =>
          fc.tuple(
            fc.constant(generated),
            fc.array(inputArb(generated.schema), {
              minLength: INPUTS_PER_CONSTITUTION,
              maxLength: INPUTS_PER_CONSTITUTION,
            }),
          ),
        ),
        ([generated, inputs]) => {
          const compiled = compileSource(generated.source);
          for (const input of inputs) {
            try {
              expectSameVerdicts(compiled, input);
            } catch (error) {
              throw new Error(regressionTest(generated.source, input, error));
            }
            cases++;
          }
        },
      ),
      { numRuns: CONSTITUTIONS },
    );
    expect(cases).toBeGreaterThanOrEqual(CONSTITUTIONS * INPUTS_PER_CONSTITUTION);
  });
});
