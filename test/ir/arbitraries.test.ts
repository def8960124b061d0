import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { compileSources } from "../../compiler/pipeline.js";
import { renderDiagnostics } from "../../compiler/diagnostics/render.js";
import { validateInput } from "../../contract/validate-input.js";
import { constitutionArb, inputArb } from "../support/constitution-arbitraries.js";

describe("constitution arbitraries", () => {
  it("property: every generated constitution passes the checker, with the schema it declares", () => {
    fc.assert(
      fc.property(constitutionArb(), (generated) => {
        const sources = [{ path: "generated.constitution", text: generated.source }];
        const result = compileSources(sources);
        const report = renderDiagnostics(result.diagnostics, () => generated.source);
        expect(result.constitution, `${report}\n${generated.source}`).not.toBeNull();
        expect(result.constitution!.schema).toEqual(generated.schema);
      }),
      { numRuns: 150 },
    );
  });

  it("property: generated inputs are mostly valid, and the invalid ones are diverse", () => {
    const schema = fc.sample(constitutionArb(), { numRuns: 1, seed: 7 })[0]!.schema;
    const inputs = fc.sample(inputArb(schema), { numRuns: 600, seed: 11 });
    const errors = inputs.map((input) => validateInput(schema, input));
    const valid = errors.filter((e) => e === null).length;
    expect(valid / inputs.length).toBeGreaterThan(0.6);
    const reasons = new Set(
      errors.flatMap((e) =>
        e === null
          ? []
          : [
              e
                .replace(/^.*?: /, "")
                .replace(/got \w+/, "got …")
                .replace(/of \w+/, "of …"),
            ],
      ),
    );
    expect(reasons.size).toBeGreaterThanOrEqual(3);
  });
});
