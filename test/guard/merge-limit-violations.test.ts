import { describe, expect, it } from "vitest";
import type { LimitDeclaration } from "../../contract/engine.js";
import { articleNumberValue, mergeLimitViolations } from "../../guard/merge-limit-violations.js";
import type { ExceededLimit } from "../../guard/rate-limits.js";
import { invalidInputVerdict, type Verdict } from "../../contract/verdict.js";
import { apiCallsLimit } from "../support/limits.js";

const constitution = { name: "musgo", version: "1.2.0", digest: "sha256:00" };
const apiCalls = apiCallsLimit();
const exceeded = (limit: LimitDeclaration = apiCalls): ExceededLimit => ({
  limit,
  key: "advisor_7f2a9c1b",
  observed: 101,
});

const permitted: Verdict = {
  permitted: true,
  violation: null,
  constitutional_article: null,
  action_taken: "none",
  appeal_process: null,
  violations: [{ article: "X", code: "missing_justification", remedy: "warn", enforcement: "advisory", message: null }],
  permits: ["execute_api"],
  constitution,
};

const suspended: Verdict = {
  permitted: false,
  violation: "unauthorized_classified_access",
  constitutional_article: "Article_VII_Data_Protection",
  action_taken: "agent_suspended",
  appeal_process: "submit_to_ethics_committee",
  violations: [
    {
      article: "VII",
      code: "unauthorized_classified_access",
      remedy: "suspend",
      enforcement: "mandatory",
      message: "m",
    },
  ],
  permits: ["read_data"],
  constitution,
};

describe("mergeLimitViolations", () => {
  it("turns a permitted verdict into the limit's denial, in the limit's article, without appeal", () => {
    const merged = mergeLimitViolations(permitted, [exceeded()]);
    expect(merged).toEqual({
      permitted: false,
      violation: "api_calls_exceeded",
      constitutional_article: "Article_III_Resource_Limits",
      action_taken: "agent_quarantined",
      appeal_process: null,
      violations: [
        {
          article: "III",
          code: "api_calls_exceeded",
          remedy: "quarantine",
          enforcement: "mandatory",
          message: "agent.id advisor_7f2a9c1b made 101 api_calls in the last minute (limit 100)",
        },
        permitted.violations[0],
      ],
      permits: ["execute_api"],
      constitution,
    });
    expect(Object.keys(merged)).toEqual([
      "permitted",
      "violation",
      "constitutional_article",
      "action_taken",
      "appeal_process",
      "violations",
      "permits",
      "constitution",
    ]);
  });

  it("keeps a more severe determining violation and its appeal, adding the limit's in article order", () => {
    const merged = mergeLimitViolations(suspended, [exceeded()]);
    expect(merged.violation).toBe("unauthorized_classified_access");
    expect(merged.appeal_process).toBe("submit_to_ethics_committee");
    expect(merged.violations.map((v) => v.code)).toEqual(["api_calls_exceeded", "unauthorized_classified_access"]);
  });

  it("lets a limit win a remedy tie when its article number is lower", () => {
    const throttled = {
      ...suspended,
      violation: "x",
      action_taken: "agent_quarantined",
      violations: [{ ...suspended.violations[0]!, code: "x", remedy: "quarantine" as const }],
    };
    expect(mergeLimitViolations(throttled, [exceeded()]).violation).toBe("api_calls_exceeded");
  });

  it("an advisory limit is reported but never denies", () => {
    const merged = mergeLimitViolations(permitted, [exceeded({ ...apiCalls, enforcement: "advisory" })]);
    expect(merged.permitted).toBe(true);
    expect(merged.violation).toBeNull();
    expect(merged.violations).toHaveLength(2);
  });

  it("replaces no_applicable_permit with a mandatory limit violation", () => {
    const denied = { ...permitted, permitted: false, violation: "no_applicable_permit", permits: [], violations: [] };
    expect(mergeLimitViolations(denied, [exceeded({ ...apiCalls, remedy: "throttle" })])).toMatchObject({
      violation: "api_calls_exceeded",
      action_taken: "agent_throttled",
    });
  });

  it("leaves invalid-input verdicts and verdicts without exceeded limits unchanged", () => {
    const invalid = invalidInputVerdict("agent.id: required field is missing", constitution);
    expect(mergeLimitViolations(invalid, [exceeded()])).toBe(invalid);
    expect(mergeLimitViolations(permitted, [])).toBe(permitted);
  });

  it("reads article numbers written in Roman or decimal", () => {
    expect(["I", "IV", "IX", "XIV", "XL", "MCMXCIX", "12"].map(articleNumberValue)).toEqual([
      1, 4, 9, 14, 40, 1999, 12,
    ]);
  });
});
