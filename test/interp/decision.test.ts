// Decision semantics (docs/language.md, "Verdicts"): default deny, severity ordering and its tie-breaks,
// unnamed permit codes, fail-closed validation, message rendering.

import { describe, expect, it } from "vitest";
import { evaluateDecision } from "../../compiler/interp/index.js";
import { invalidInputVerdict } from "../../contract/verdict.js";
import { CLASSIFIED_INPUT, LANGUAGE_PRELUDE, compileReference, compileText, withAction } from "./compile.js";

// Every forbid holds when `action.type` names it (or is "all"), so one input picks any subset.
const severity = compileText(`${LANGUAGE_PRELUDE}
article IX "Late" {
  forbid late_suspend when action.type == "all" or action.type == "late_suspend" remedy suspend appeal "late_appeal"
}
article 3 "Early" {
  forbid early_warn when action.type == "all" or action.type == "early_warn" remedy warn
  forbid early_suspend_a when action.type == "all" or action.type == "early_suspend_a" remedy suspend appeal "first"
  forbid early_suspend_b when action.type == "all" or action.type == "early_suspend_b" remedy suspend appeal "second"
}
article II "Permits" {
  permit when true
  permit named when action.type == "named"
  permit when action.type == "named"
}
article 20 "Advice" enforcement advisory {
  forbid advice when action.type == "all" or action.type == "advice" remedy suspend
}
`);

const decide = (type: string) => evaluateDecision(severity, withAction({ type }));

describe("determining violation", () => {
  it("is the most severe mandatory violation, whatever its article", () => {
    const verdict = evaluateDecision(severity, withAction({ type: "all" }));
    expect(verdict.violation).toBe("early_suspend_a");
    expect(verdict.action_taken).toBe("agent_suspended");
  });

  it("breaks remedy ties by the lowest article number value (3 before IX), then source order", () => {
    const verdict = decide("all");
    expect(verdict.constitutional_article).toBe("Article_3_Early");
    expect(verdict.appeal_process).toBe("first");
  });

  it("is never advisory: an advisory suspend alone leaves the decision to the permits", () => {
    const verdict = decide("advice");
    expect(verdict).toMatchObject({ permitted: true, violation: null, action_taken: "none" });
    expect(verdict.violations).toEqual([
      { article: "20", code: "advice", remedy: "suspend", enforcement: "advisory", message: null },
    ]);
  });

  it("takes appeal null when the determining rule declares none", () => {
    expect(decide("early_warn")).toMatchObject({
      violation: "early_warn",
      action_taken: "warned",
      appeal_process: null,
    });
  });
});

describe("violations and permits lists", () => {
  it("orders violations by article number value, then source order", () => {
    expect(decide("all").violations.map((v) => `${v.article}:${v.code}`)).toEqual([
      "3:early_warn",
      "3:early_suspend_a",
      "3:early_suspend_b",
      "IX:late_suspend",
      "20:advice",
    ]);
  });

  it("names an unnamed permit `<article as written>.<position>` and lists permits in source order, also when denied", () => {
    expect(decide("named").permits).toEqual(["II.1", "named", "II.3"]);
    expect(decide("all")).toMatchObject({ permitted: false, permits: ["II.1"] });
  });
});

describe("default deny", () => {
  it("says no_applicable_permit out loud when nothing permits", () => {
    const strict = compileText(`${LANGUAGE_PRELUDE}
article I "Only reads" { permit when action.type == "read" }`);
    expect(evaluateDecision(strict, withAction({ type: "write" }))).toEqual({
      permitted: false,
      violation: "no_applicable_permit",
      constitutional_article: null,
      action_taken: "none",
      appeal_process: null,
      violations: [],
      permits: [],
      constitution: { name: "musgo", version: "1.2.0", digest: strict.digest },
    });
  });
});

describe("fail closed on input that does not match the schema", () => {
  const reference = compileReference();
  const id = { name: reference.name, version: reference.version, digest: reference.digest };
  const cases: [string, unknown, string][] = [
    [
      "a wrong type",
      { ...CLASSIFIED_INPUT, agent: { ...CLASSIFIED_INPUT.agent, id: 7 } },
      "agent.id: expected string, got number",
    ],
    ["a missing required field", { agent: CLASSIFIED_INPUT.agent }, "action: required field is missing"],
    [
      "an unknown enum member",
      { ...CLASSIFIED_INPUT, agent: { ...CLASSIFIED_INPUT.agent, clearance: "cosmic" } },
      "agent.clearance: not a member of Clearance",
    ],
    ["a non-object input", [CLASSIFIED_INPUT], "input: expected object, got array"],
    ["null", null, "input: expected object, got null"],
    [
      "a wrong set element",
      { ...CLASSIFIED_INPUT, agent: { ...CLASSIFIED_INPUT.agent, capabilities: ["a", 1] } },
      "agent.capabilities[1]: expected string, got number",
    ],
  ];
  it.each(cases)("rejects %s, naming the path", (_, input, error) => {
    expect(evaluateDecision(reference, input)).toEqual(invalidInputVerdict(error, id));
  });

  it("treats optional fields holding null as absent and ignores fields outside the schema", () => {
    const input = {
      ...CLASSIFIED_INPUT,
      action: { type: "data_request", target: null, justification: "j", extra: 1 },
      output: null,
      unknown: {},
    };
    expect(evaluateDecision(reference, input)).toMatchObject({
      permitted: true,
      violations: [],
      permits: ["read_data"],
    });
  });
});

describe("message templates", () => {
  const reference = compileReference();
  const transfer = (amount: number) =>
    evaluateDecision(reference, {
      agent: { id: "payer_1", type: "data_analyst", clearance: "internal", capabilities: ["payments"] },
      action: { type: "transfer", amount },
    });

  it.each([
    [20000, "agent payer_1 may not move 20000 without confidential clearance"],
    [10000.5, "agent payer_1 may not move 10000.5 without confidential clearance"],
    [1e21, "agent payer_1 may not move 1e+21 without confidential clearance"],
  ])("render the number %s as JavaScript's String(n)", (amount, message) => {
    const verdict = transfer(amount);
    expect(verdict.violations).toEqual([
      { article: "VIII", code: "transfer_over_ceiling", remedy: "throttle", enforcement: "mandatory", message },
    ]);
    expect(verdict).toMatchObject({
      violation: "transfer_over_ceiling",
      action_taken: "agent_throttled",
      appeal_process: "submit_to_treasury",
    });
  });

  it("render booleans, enum members and literal braces", () => {
    const c = compileText(`constitution echo version "1.0.0"
enum Level { low < high }
schema { id: string, flag: bool, level: Level, note?: string }
article I "Echo" {
  forbid echo when true message "{{id}} {id} {flag} {level}"
}`);
    expect(evaluateDecision(c, { id: "exec_01", flag: false, level: "high" }).violations[0]!.message).toBe(
      "{id} exec_01 false high",
    );
  });
});
