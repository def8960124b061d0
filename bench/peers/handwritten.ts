// The reference constitution (constitution/musgo.constitution) written by hand in plain JavaScript,
// as a careful engineer would for speed: one pass of fail-closed validation that also reads the
// fields the rules need, precompiled regexes, a Set for the classified targets, ordinals for the
// clearance enum, and a fresh verdict object per decision (with the same error strings, messages
// and key order as every musgo engine). It is the "practical speed limit" peer of bench/decision.ts.

import {
  makeVerdict,
  type ConstitutionId,
  type Verdict,
  type VerdictOutcome,
  type Violation,
} from "../../contract/verdict.js";
import { jsonKind } from "../../contract/validate-input.js";

const CLEARANCES = ["public", "internal", "enterprise", "confidential", "secret", "top_secret"];
const SECRET = 4;
const CONFIDENTIAL = 3;
const AGENT_TYPES = ["strategic_advisor", "data_analyst", "code_executor"];
const CLASSIFIED = new Set(["classified_financials", "board_minutes", "hr_records"]);
const SECRET_KEY = /-----BEGIN [A-Z ]*PRIVATE KEY-----/u;
const CREDENTIAL = /(AKIA|ASIA)[0-9A-Z]{16}/u;

type Json = Record<string, unknown>;

/** The facts the rules read, gathered while validating. */
interface Facts {
  id: string;
  clearance: number;
  capabilities: unknown[];
  type: string;
  target: string | undefined;
  justification: string | undefined;
  method: string | undefined;
  path: string | undefined;
  amount: number | undefined;
  outputText: string | undefined;
  apiCalls: number | undefined;
}

function own(o: Json, key: string): unknown {
  return Object.prototype.hasOwnProperty.call(o, key) ? o[key] : undefined;
}

function isObject(v: unknown): v is Json {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

class Invalid {
  constructor(readonly error: string) {}
}

function fail(path: string, expected: string, value: unknown): never {
  throw new Invalid(`${path}: expected ${expected}, got ${jsonKind(value)}`);
}

function required(o: Json, key: string, path: string): unknown {
  const v = own(o, key);
  if (v === undefined) throw new Invalid(`${path}: required field is missing`);
  return v;
}

function string(v: unknown, path: string): string {
  return typeof v === "string" ? v : fail(path, "string", v);
}

function optionalString(o: Json, key: string, path: string): string | undefined {
  const v = own(o, key);
  return v === undefined || v === null ? undefined : string(v, path);
}

function number(v: unknown, path: string): number {
  if (typeof v !== "number") fail(path, "number", v);
  if (!Number.isFinite(v)) throw new Invalid(`${path}: number out of range`);
  return v;
}

function record(v: unknown, path: string): Json {
  return isObject(v) ? v : fail(path, "object", v);
}

function member(v: unknown, members: string[], name: string, path: string): number {
  if (typeof v !== "string") fail(path, name, v);
  const index = members.indexOf(v);
  if (index < 0) throw new Invalid(`${path}: not a member of ${name}`);
  return index;
}

function stringArray(v: unknown, path: string): unknown[] {
  if (!Array.isArray(v)) fail(path, "array", v);
  for (let i = 0; i < v.length; i++) if (typeof v[i] !== "string") fail(`${path}[${i}]`, "string", v[i]);
  return v;
}

/** Validates in schema order (the first problem wins, as in contract/validate-input.ts) and reads the facts. */
function readFacts(input: unknown): Facts {
  if (!isObject(input)) throw new Invalid(`input: expected object, got ${jsonKind(input)}`);
  const agent = record(required(input, "agent", "agent"), "agent");
  const id = string(required(agent, "id", "agent.id"), "agent.id");
  member(required(agent, "type", "agent.type"), AGENT_TYPES, "AgentType", "agent.type");
  const clearance = member(required(agent, "clearance", "agent.clearance"), CLEARANCES, "Clearance", "agent.clearance");
  const capabilities = stringArray(required(agent, "capabilities", "agent.capabilities"), "agent.capabilities");
  const action = record(required(input, "action", "action"), "action");
  const type = string(required(action, "type", "action.type"), "action.type");
  const target = optionalString(action, "target", "action.target");
  const justification = optionalString(action, "justification", "action.justification");
  const method = optionalString(action, "method", "action.method");
  const path = optionalString(action, "path", "action.path");
  const amountValue = own(action, "amount");
  const amount = amountValue === undefined || amountValue === null ? undefined : number(amountValue, "action.amount");
  const outputValue = own(input, "output");
  const outputText =
    outputValue === undefined || outputValue === null
      ? undefined
      : string(required(record(outputValue, "output"), "text", "output.text"), "output.text");
  const telemetryValue = own(input, "telemetry");
  const apiCalls =
    telemetryValue === undefined || telemetryValue === null
      ? undefined
      : number(
          required(record(telemetryValue, "telemetry"), "api_calls_per_minute", "telemetry.api_calls_per_minute"),
          "telemetry.api_calls_per_minute",
        );
  return { id, clearance, capabilities, type, target, justification, method, path, amount, outputText, apiCalls };
}

function violation(
  article: string,
  code: string,
  remedy: Violation["remedy"],
  message: string | null,
  enforcement: Violation["enforcement"] = "mandatory",
): Violation {
  return { article, code, remedy, enforcement, message };
}

const outcome = (permitted: boolean, violation: string | null): VerdictOutcome => ({
  permitted,
  violation,
  constitutional_article: null,
  action_taken: "none",
  appeal_process: null,
});
const INVALID = outcome(false, "invalid_input");
const PERMITTED = outcome(true, null);
const NO_PERMIT = outcome(false, "no_applicable_permit");

/** Returns a `decide(input)` for the reference constitution, stamping verdicts with `constitution`. */
export function createHandwrittenDecide(constitution: ConstitutionId): (input: unknown) => Verdict {
  const deny = (
    f: Verdict["violations"],
    p: string[],
    code: string,
    article: string,
    action: string,
    appeal: string | null,
  ): Verdict => {
    const outcome = {
      permitted: false,
      violation: code,
      constitutional_article: article,
      action_taken: action,
      appeal_process: appeal,
    };
    return makeVerdict(outcome, f, p, constitution);
  };
  return (input: unknown): Verdict => {
    let facts: Facts;
    try {
      facts = readFacts(input);
    } catch (e) {
      if (!(e instanceof Invalid)) throw e;
      return makeVerdict(INVALID, [], [], constitution, e.error);
    }
    const { type, clearance } = facts;
    const excessive = facts.apiCalls !== undefined && facts.apiCalls > 100;
    const classified =
      type === "data_request" && facts.target !== undefined && CLASSIFIED.has(facts.target) && clearance < SECRET;
    const overCeiling =
      type === "transfer" && facts.amount !== undefined && facts.amount > 10000 && clearance < CONFIDENTIAL;
    const secretKey = facts.outputText !== undefined && SECRET_KEY.test(facts.outputText);
    const credential = facts.outputText !== undefined && CREDENTIAL.test(facts.outputText);
    const missingJustification = type === "data_request" && facts.justification === undefined;

    const violations: Violation[] = [];
    if (excessive)
      violations.push(
        violation(
          "III",
          "excessive_api_calls",
          "quarantine",
          `agent ${facts.id} made ${facts.apiCalls} api calls per minute`,
        ),
      );
    if (classified)
      violations.push(
        violation("VII", "unauthorized_classified_access", "suspend", `agent ${facts.id} may not read ${facts.target}`),
      );
    if (overCeiling)
      violations.push(
        violation(
          "VIII",
          "transfer_over_ceiling",
          "throttle",
          `agent ${facts.id} may not move ${facts.amount} without confidential clearance`,
        ),
      );
    if (secretKey) violations.push(violation("IX", "secret_key_in_output", "rollback", null));
    if (credential) violations.push(violation("IX", "credential_in_output", "rollback", null));
    if (missingJustification) violations.push(violation("X", "missing_justification", "warn", null, "advisory"));

    const permits: string[] = [];
    if (facts.method === "POST" && facts.path === "/api/v1/execute") permits.push("execute_api");
    if (type === "data_request") permits.push("read_data");
    if (type === "write_report" && facts.capabilities.includes("trend_prediction")) permits.push("write_report");
    if (type === "transfer" && facts.capabilities.includes("payments")) permits.push("transfer_funds");

    // The most severe mandatory violation determines the verdict.
    if (classified)
      return deny(
        violations,
        permits,
        "unauthorized_classified_access",
        "Article_VII_Data_Protection",
        "agent_suspended",
        "submit_to_ethics_committee",
      );
    if (excessive)
      return deny(
        violations,
        permits,
        "excessive_api_calls",
        "Article_III_Resource_Limits",
        "agent_quarantined",
        "submit_to_security_operations",
      );
    if (overCeiling)
      return deny(
        violations,
        permits,
        "transfer_over_ceiling",
        "Article_VIII_Financial_Controls",
        "agent_throttled",
        "submit_to_treasury",
      );
    if (secretKey)
      return deny(violations, permits, "secret_key_in_output", "Article_IX_Output_Safety", "state_rolled_back", null);
    if (credential)
      return deny(violations, permits, "credential_in_output", "Article_IX_Output_Safety", "state_rolled_back", null);
    return makeVerdict(permits.length > 0 ? PERMITTED : NO_PERMIT, violations, permits, constitution);
  };
}
