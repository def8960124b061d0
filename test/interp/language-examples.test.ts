// Every language example (test/fixtures/language), evaluated by the reference interpreter with exact verdicts.

import { describe, expect, it } from "vitest";
import { createInterpreterEngine, evaluateDecision, evaluateRegistration } from "../../compiler/interp/index.js";
import {
  CLASSIFIED_INPUT,
  DATA_PROTECTION,
  EXECUTE_INPUT,
  LANGUAGE_PRELUDE,
  OTHER_ARTICLES,
  REGISTRATION,
  RESOURCE_LIMITS,
  compileText,
  withAction,
} from "./compile.js";
import { apiCallsLimit } from "../support/limits.js";

const dataProtection = compileText(LANGUAGE_PRELUDE + DATA_PROTECTION);
const language = compileText(LANGUAGE_PRELUDE + DATA_PROTECTION + OTHER_ARTICLES + REGISTRATION + RESOURCE_LIMITS);

describe("the Data Protection article on the classified test input", () => {
  it("gives exactly the example verdict of the language contract, keys in order", () => {
    const verdict = evaluateDecision(dataProtection, CLASSIFIED_INPUT);
    expect(verdict.constitution.digest).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(JSON.stringify(verdict)).toBe(
      JSON.stringify({
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
            message: "agent advisor_7f2a9c1b may not read classified_financials",
          },
        ],
        permits: [],
        constitution: { name: "musgo", version: "1.2.0", digest: verdict.constitution.digest },
      }),
    );
  });

  it("permits nothing without a permit: clearance secret is default-denied", () => {
    const input = { ...CLASSIFIED_INPUT, agent: { ...CLASSIFIED_INPUT.agent, clearance: "secret" } };
    expect(evaluateDecision(dataProtection, input)).toMatchObject({
      permitted: false,
      violation: "no_applicable_permit",
      constitutional_article: null,
      action_taken: "none",
      appeal_process: null,
      violations: [],
      permits: [],
    });
  });
});

describe("the header and the four articles together", () => {
  it("denies the classified request although read_data holds (forbid overrides permit)", () => {
    const verdict = evaluateDecision(language, CLASSIFIED_INPUT);
    expect(verdict).toMatchObject({
      permitted: false,
      violation: "unauthorized_classified_access",
      constitutional_article: "Article_VII_Data_Protection",
      action_taken: "agent_suspended",
      appeal_process: "submit_to_ethics_committee",
      permits: ["read_data"],
    });
    expect(verdict.violations.map((v) => v.code)).toEqual(["unauthorized_classified_access"]);
  });

  it("permits the execute request", () => {
    expect(evaluateDecision(language, EXECUTE_INPUT)).toEqual({
      permitted: true,
      violation: null,
      constitutional_article: null,
      action_taken: "none",
      appeal_process: null,
      violations: [],
      permits: ["execute_api"],
      constitution: { name: "musgo", version: "1.2.0", digest: language.digest },
    });
  });

  it("rolls back output holding a private key (unanchored regex search)", () => {
    const input = { ...EXECUTE_INPUT, output: { text: "here: -----BEGIN RSA PRIVATE KEY----- MIIE" } };
    expect(evaluateDecision(language, input)).toMatchObject({
      permitted: false,
      violation: "secret_key_in_output",
      constitutional_article: "Article_IX_Output_Safety",
      action_taken: "state_rolled_back",
      appeal_process: null,
      violations: [
        { article: "IX", code: "secret_key_in_output", remedy: "rollback", enforcement: "mandatory", message: null },
      ],
      permits: ["execute_api"],
    });
  });

  it("reports an advisory violation but never denies for it", () => {
    const verdict = evaluateDecision(language, withAction({ type: "data_request", target: "weather" }));
    expect(verdict).toMatchObject({
      permitted: true,
      violation: null,
      constitutional_article: null,
      action_taken: "none",
      permits: ["read_data"],
    });
    expect(verdict.violations).toEqual([
      { article: "X", code: "missing_justification", remedy: "warn", enforcement: "advisory", message: null },
    ]);
  });

  it("lists advisory and mandatory violations by article number while the mandatory one determines", () => {
    const input = { ...CLASSIFIED_INPUT, action: { type: "data_request", target: "board_minutes" } };
    const verdict = evaluateDecision(language, input);
    expect(verdict.violation).toBe("unauthorized_classified_access");
    expect(verdict.violations.map((v) => [v.article, v.code])).toEqual([
      ["VII", "unauthorized_classified_access"],
      ["X", "missing_justification"],
    ]);
  });
});

describe("the registration example", () => {
  it("gives the example's namespace and permissions for the seed's registration request", () => {
    const request = {
      agent: {
        id: "advisor_7f2a9c1b",
        type: "strategic_advisor",
        clearance: "enterprise",
        capabilities: ["market_analysis", "trend_prediction"],
      },
    };
    expect(JSON.stringify(evaluateRegistration(language, request))).toBe(
      JSON.stringify({ namespace: "ai-strategic", permissions: ["read:market_data", "write:analysis_reports"] }),
    );
  });

  it("gives a null namespace when none matches, permissions still granted", () => {
    const request = {
      agent: { id: "x", type: "code_executor", clearance: "public", capabilities: ["trend_prediction"] },
    };
    expect(evaluateRegistration(language, request)).toEqual({
      namespace: null,
      permissions: ["write:analysis_reports"],
    });
  });

  it("checks the request against the schema's agent field only and fails closed", () => {
    const agent = { id: "x", type: "data_analyst", clearance: "public", capabilities: [] };
    expect(evaluateRegistration(language, { agent })).toEqual({ namespace: "ai-analytics", permissions: [] });
    expect(evaluateRegistration(language, { agent: { ...agent, type: "pilot" } })).toEqual({
      namespace: null,
      permissions: [],
      error: "agent.type: not a member of AgentType",
    });
    expect(evaluateRegistration(language, {})).toEqual({
      namespace: null,
      permissions: [],
      error: "agent: required field is missing",
    });
  });
});

describe("the limit example", () => {
  it("are handed to the host as LimitDeclarations of their article", () => {
    expect(createInterpreterEngine(language).limits).toEqual([apiCallsLimit(100)]);
  });
});

describe("the engine", () => {
  it("decides and registers like the functions it wraps", () => {
    const engine = createInterpreterEngine(language);
    expect(engine.constitution).toEqual({ name: "musgo", version: "1.2.0", digest: language.digest });
    expect(engine.decide(CLASSIFIED_INPUT)).toEqual(evaluateDecision(language, CLASSIFIED_INPUT));
    expect(engine.register({ agent: EXECUTE_INPUT.agent })).toEqual(
      evaluateRegistration(language, { agent: EXECUTE_INPUT.agent }),
    );
  });
});
