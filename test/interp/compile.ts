// Compiles in-memory constitution sources for the interpreter tests; a compile error fails the
// test with the rendered diagnostics instead of handing the interpreter a half-checked tree.

import { readFileSync } from "node:fs";
import { hasErrors } from "../../compiler/diagnostics/diagnostic.js";
import { renderDiagnostic } from "../../compiler/diagnostics/render.js";
import type { SourceFile } from "../../compiler/diagnostics/span.js";
import { compileSources } from "../../compiler/pipeline.js";
import type { CheckedConstitution } from "../../compiler/check/model.js";

export function compile(...sources: SourceFile[]): CheckedConstitution {
  const result = compileSources(sources);
  if (result.constitution === null || hasErrors(result.diagnostics)) {
    const text = (path: string): string | undefined => sources.find((s) => s.path === path)?.text;
    throw new Error(
      `the test constitution does not compile:\n${result.diagnostics.map((d) => renderDiagnostic(d, text)).join("\n")}`,
    );
  }
  return result.constitution;
}

/** One source file named `main.constitution`. */
export function compileText(text: string): CheckedConstitution {
  return compile({ path: "main.constitution", text });
}

/** The reference constitution of the repository. */
export function compileReference(): CheckedConstitution {
  const path = "constitution/musgo.constitution";
  return compile({ path, text: readFileSync(path, "utf8") });
}

/** The header, enums, schema and lets of the language examples (s3-header), verbatim. */
export const LANGUAGE_PRELUDE = `
constitution musgo version "1.2.0"

// An ordered enum: \`<\` \`<=\` \`>\` \`>=\` compare by declaration order.
enum Clearance { public < internal < enterprise < confidential < secret < top_secret }
// An unordered enum: only \`==\`, \`!=\`, \`in\`.
enum AgentType { strategic_advisor, data_analyst, code_executor }

// The shape of the input document. Every field access is checked against it at compile time.
schema {
  agent: {
    id: string,
    type: AgentType,
    clearance: Clearance,
    capabilities: set<string>,
  },
  action: {
    type: string,
    target?: string,          // \`?\` = may be absent
    justification?: string,
    method?: string,
    path?: string,
  },
  output?: { text: string },
  telemetry?: { api_calls_per_minute: number },
}

let classified = {"classified_financials", "board_minutes", "hr_records"}
let execute_path = "/api/v1/execute"
`;

/** The articles of the language examples (s4-articles), verbatim. */
export const DATA_PROTECTION = `
article VII "Data Protection" {
  forbid unauthorized_classified_access
    when action.type == "data_request"
     and has action.target
     and action.target in classified
     and agent.clearance < secret
    remedy suspend
    appeal "submit_to_ethics_committee"
    message "agent {agent.id} may not read {action.target}"
}
`;

export const OTHER_ARTICLES = `
article II "Permitted Operations" {
  permit execute_api
    when has action.method and action.method == "POST"
     and has action.path and action.path == execute_path
  permit read_data when action.type == "data_request"
}

article IX "Output Safety" {
  forbid secret_key_in_output
    when has output and output.text matches "-----BEGIN [A-Z ]*PRIVATE KEY-----"
    remedy rollback
}

article X "Transparency" enforcement advisory {
  forbid missing_justification
    when action.type == "data_request" and not has action.justification
    remedy warn
}
`;

/** The registration and limit examples (s7, s8), verbatim. */
export const REGISTRATION = `
registration {
  namespace "ai-strategic" when agent.type == strategic_advisor
  namespace "ai-analytics" when agent.type == data_analyst
  grant "read:market_data"       when "market_analysis" in agent.capabilities
  grant "write:analysis_reports" when "trend_prediction" in agent.capabilities
}
`;

export const RESOURCE_LIMITS = `
article III "Resource Limits" {
  limit api_calls per agent.id to 100 per minute remedy quarantine
}
`;

/** The two inputs of the example tests (s9). */
export const CLASSIFIED_INPUT = {
  agent: {
    id: "advisor_7f2a9c1b",
    type: "strategic_advisor",
    clearance: "enterprise",
    capabilities: ["market_analysis"],
  },
  action: { type: "data_request", target: "classified_financials", justification: "market_analysis" },
};

export const EXECUTE_INPUT = {
  agent: { id: "exec_01", type: "code_executor", clearance: "internal", capabilities: [] },
  action: { type: "invoke", method: "POST", path: "/api/v1/execute" },
};

/** A valid input of the example schema with `action` overridden. */
export function withAction(
  action: Record<string, unknown>,
  extra: Record<string, unknown> = {},
): Record<string, unknown> {
  return { agent: EXECUTE_INPUT.agent, action, ...extra };
}
