import { describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { planConstitution } from "../../compiler/lower/planner.js";
import { evaluateDecisionIr, evaluateRegistrationIr } from "../../compiler/ir/eval.js";
import { printPolicy } from "../../compiler/ir/print.js";
import { allStatements } from "../../compiler/ir/walk.js";
import { STMT_KINDS, type IrPolicy } from "../../compiler/ir/ir.js";
import { evaluateDecision, evaluateRegistration } from "../../compiler/interp/index.js";
import { REFERENCE_INPUTS } from "../../bench/peers/reference-inputs.js";
import { OPERATIONS } from "../../compiler/operations/registry.js";
import { validateJson } from "./json-schema-lite.js";
import { checkReference, checkSource } from "./support.js";

const irSchema = JSON.parse(readFileSync("compiler/ir/schema.json", "utf8")) as Record<string, unknown>;
const reference = checkReference();
const referenceIr = planConstitution(reference);
const examples = ["example1-registration", "example2-threat", "example3-classified"].map(
  (name) => JSON.parse(readFileSync(`constitution/examples/${name}.json`, "utf8")) as unknown,
);

describe("IR of the reference constitution", () => {
  it.each(REFERENCE_INPUTS.map((c) => [c.name, c.input] as const))(
    "IR evaluation ≡ interpreter: %s",
    (_name, input) => {
      expect(evaluateDecisionIr(referenceIr, input)).toEqual(evaluateDecision(reference, input));
      expect(evaluateRegistrationIr(referenceIr, input)).toEqual(evaluateRegistration(reference, input));
    },
  );

  it("agrees with the interpreter on the seed's examples, including the exact Example 3 verdict", () => {
    for (const input of examples) {
      expect(evaluateDecisionIr(referenceIr, input)).toEqual(evaluateDecision(reference, input));
      expect(evaluateRegistrationIr(referenceIr, input)).toEqual(evaluateRegistration(reference, input));
    }
    expect(evaluateDecisionIr(referenceIr, examples[2])).toMatchObject({
      permitted: false,
      violation: "unauthorized_classified_access",
      constitutional_article: "Article_VII_Data_Protection",
      action_taken: "agent_suspended",
      appeal_process: "submit_to_ethics_committee",
    });
    expect(evaluateRegistrationIr(referenceIr, examples[0])).toEqual({
      namespace: "ai-strategic",
      permissions: ["read:market_data", "write:analysis_reports"],
    });
  });

  it("fails closed on documents that are not objects", () => {
    for (const input of [null, 42, "x", [], undefined]) {
      expect(evaluateDecisionIr(referenceIr, input)).toEqual(evaluateDecision(reference, input));
      expect(evaluateRegistrationIr(referenceIr, input)).toEqual(evaluateRegistration(reference, input));
    }
  });

  it("is JSON: the serialised IR validates against compiler/ir/schema.json and evaluates the same", () => {
    const json = JSON.parse(JSON.stringify(referenceIr)) as IrPolicy;
    expect(json).toEqual(referenceIr);
    expect(validateJson(irSchema, json)).toBeNull();
    for (const { input } of REFERENCE_INPUTS)
      expect(evaluateDecisionIr(json, input)).toEqual(evaluateDecisionIr(referenceIr, input));
  });

  it("schema.json lists exactly the statement kinds of ir.ts", () => {
    const defs = irSchema.$defs as Record<string, { oneOf?: { $ref: string }[] }>;
    const listed = defs.stmt!.oneOf!.map((entry) => entry.$ref.replace("#/$defs/stmt", ""));
    expect(listed).toEqual([...STMT_KINDS]);
  });

  it("schema.json lists exactly the registry's builtins as StringTest.test and Call.func values", () => {
    const defs = irSchema.$defs as Record<string, { properties: Record<string, { enum?: string[] }> }>;
    const namesFor = (ir: string) => OPERATIONS.filter((op) => op.ir === ir).map((op) => op.name);
    expect(defs.stmtStringTest!.properties.test!.enum).toEqual(namesFor("StringTest"));
    expect(defs.stmtCall!.properties.func!.enum).toEqual(namesFor("Call"));
  });

  it("makes the policy explicit: validation first, default deny last, mandatory forbids in severity order", () => {
    const plan = referenceIr.plans[0]!;
    const first = plan.body[0]!;
    expect(first.kind === "Block" && first.body.map((s) => s.kind)).toEqual(["ValidateInput", "ReturnInvalidInput"]);
    expect(plan.body.at(-1)).toMatchObject({ kind: "ReturnDecision", outcome: "default_deny" });
    const denies = allStatements(referenceIr).flatMap((s) =>
      s.kind === "ReturnDecision" && s.outcome === "deny" ? [referenceIr.static.rules[s.rule!]!.code] : [],
    );
    expect(denies).toEqual([
      "unauthorized_classified_access",
      "excessive_api_calls",
      "transfer_over_ceiling",
      "secret_key_in_output",
      "credential_in_output",
    ]);
  });

  it("maps statements to their source lines", () => {
    const source = readFileSync("constitution/musgo.constitution", "utf8").split("\n");
    const matches = allStatements(referenceIr).filter((s) => s.kind === "Matches");
    expect(matches.map((s) => source[s.loc.line - 1]!.slice(s.loc.col - 1))).toEqual([
      'output.text matches "-----BEGIN [A-Z ]*PRIVATE KEY-----"',
      'output.text matches "(AKIA|ASIA)[0-9A-Z]{16}"',
    ]);
  });

  it("planning is deterministic: the same sources give the same IR", () => {
    expect(JSON.stringify(planConstitution(checkReference()))).toBe(JSON.stringify(referenceIr));
  });
});

const SMALL = `constitution small version "0.1.0"
enum Level { low < high }
schema {
  agent: { name: string, level: Level, tags: list<string> },
  amount?: number,
}
article I "Rules" {
  forbid too_much when has amount and amount * 2 > 100 or (any t in agent.tags: t == "x")
    remedy warn message "{agent.name} at {agent.level}"
  permit when agent.level >= high
}
registration {
  namespace "ns" when agent.level == low
}
`;

describe("IR printer", () => {
  it("prints a stable dump with locations", () => {
    const text = printPolicy(planConstitution(checkSource(SMALL)));
    expect(text.replace(/sha256:[0-9a-f]+/, "sha256:…")).toMatchSnapshot();
  });
});
