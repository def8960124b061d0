// The reference constitution as a Cedar policy set, evaluated by @cedar-policy/cedar-wasm with
// pre-parsed policies (`preparsePolicySet` once, `statefulIsAuthorized` per decision). The agent is
// the principal entity (clearance as its ordinal); the action, output and telemetry travel in the
// context; numbers are Cedar decimals. The input is validated first (Cedar would skip a policy whose
// attribute is missing, which fails open), and the Cedar request is built inside the timed call.
//
// Where Cedar cannot say the same thing: it has no regexes, so the two output checks use `like`
// patterns (`*-----BEGIN *PRIVATE KEY-----*`, `*AKIA*`/`*ASIA*`), which agree on the benchmark
// inputs; and it has only allow/deny, so the advisory article (which never denies) has no policy.

import {
  preparsePolicySet,
  statefulIsAuthorized,
  type CedarValueJson,
  type Context,
} from "@cedar-policy/cedar-wasm/nodejs";
import type { RecordSchema } from "../../contract/schema.js";
import { validateInput } from "../../contract/validate-input.js";

const POLICY_SET_ID = "musgo-reference";
const CLEARANCES = ["public", "internal", "enterprise", "confidential", "secret", "top_secret"];

export const CEDAR_POLICIES: Record<string, string> = {
  execute_api: `permit(principal, action, resource) when { context.action has method && context.action.method == "POST" && context.action has path && context.action.path == "/api/v1/execute" };`,
  read_data: `permit(principal, action, resource) when { context.action.type == "data_request" };`,
  write_report: `permit(principal, action, resource) when { context.action.type == "write_report" && principal.capabilities.contains("trend_prediction") };`,
  transfer_funds: `permit(principal, action, resource) when { context.action.type == "transfer" && principal.capabilities.contains("payments") };`,
  excessive_api_calls: `forbid(principal, action, resource) when { context has telemetry && context.telemetry.api_calls_per_minute.greaterThan(decimal("100.0")) };`,
  unauthorized_classified_access: `forbid(principal, action, resource) when { context.action.type == "data_request" && context.action has target && ["classified_financials", "board_minutes", "hr_records"].contains(context.action.target) && principal.clearance < 4 };`,
  transfer_over_ceiling: `forbid(principal, action, resource) when { context.action.type == "transfer" && context.action has amount && context.action.amount.greaterThan(decimal("10000.0")) && principal.clearance < 3 };`,
  secret_key_in_output: `forbid(principal, action, resource) when { context has output && context.output.text like "*-----BEGIN *PRIVATE KEY-----*" };`,
  credential_in_output: `forbid(principal, action, resource) when { context has output && (context.output.text like "*AKIA*" || context.output.text like "*ASIA*") };`,
};

export interface CedarDecision {
  permitted: boolean;
  /** The policies Cedar says determined the decision (the forbids that held, or the permits). */
  reasons: string[];
}

type Json = Record<string, unknown>;

/** A Cedar decimal literal (at most four fractional digits). */
function decimal(n: number): { __extn: { fn: string; arg: string } } {
  return { __extn: { fn: "decimal", arg: Number.isInteger(n) ? n.toFixed(1) : String(Number(n.toFixed(4))) } };
}

function present(o: Json, key: string): unknown {
  const v = o[key];
  return v === null ? undefined : v;
}

function contextOf(input: Json): Context {
  const action = input.action as Json;
  const cedarAction: Record<string, CedarValueJson> = { type: action.type as string };
  for (const key of ["target", "justification", "method", "path"])
    if (present(action, key) !== undefined) cedarAction[key] = action[key] as string;
  if (present(action, "amount") !== undefined) cedarAction.amount = decimal(action.amount as number);
  const context: Context = { action: cedarAction };
  if (present(input, "output") !== undefined) context.output = { text: (input.output as Json).text as string };
  if (present(input, "telemetry") !== undefined)
    context.telemetry = { api_calls_per_minute: decimal((input.telemetry as Json).api_calls_per_minute as number) };
  return context;
}

/** Pre-parses the policy set and returns a `decide(input)` over it. */
export function createCedarDecide(schema: RecordSchema): (input: unknown) => CedarDecision {
  const parsed = preparsePolicySet(POLICY_SET_ID, { staticPolicies: CEDAR_POLICIES });
  if (parsed.type !== "success") throw new Error(`Cedar rejects the policy set: ${JSON.stringify(parsed.errors)}`);
  return (input: unknown): CedarDecision => {
    if (validateInput(schema, input) !== null) return { permitted: false, reasons: [] };
    const document = input as Json;
    const agent = document.agent as Json;
    const principal = { type: "Agent", id: agent.id as string };
    const answer = statefulIsAuthorized({
      principal,
      action: { type: "Action", id: "decide" },
      resource: { type: "Resource", id: "gateway" },
      context: contextOf(document),
      preparsedPolicySetId: POLICY_SET_ID,
      entities: [
        {
          uid: principal,
          attrs: {
            type: agent.type as string,
            clearance: CLEARANCES.indexOf(agent.clearance as string),
            capabilities: agent.capabilities as string[],
          },
          parents: [],
        },
      ],
    });
    if (answer.type !== "success") throw new Error(`Cedar failed: ${JSON.stringify(answer.errors)}`);
    return { permitted: answer.response.decision === "allow", reasons: answer.response.diagnostics.reason };
  };
}
